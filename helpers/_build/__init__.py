"""What builds the book, not what a chapter teaches: private to the helpers.

- `export`: the trained networks as plain numbers for the draw-a-digit page, and the command
  the book build runs, ``python -m helpers._build.export``;
- `samples`: the sample digits the book ships, drawn with Pillow (chapters/own_digits);
- ``drawing_area.js`` and ``drawing_area.css``: the notebook drawing area of
  `helpers.canvas.drawing_area` (chapter 9), read as package data.
"""
