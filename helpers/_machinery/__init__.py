"""What builds the book, not what a chapter teaches: private to the helpers.

- `export`: the trained networks as plain numbers for the draw-a-digit page, and the command
  the book build runs, ``python -m helpers._machinery.export``;
- `samples`: the sample digits the book ships, drawn with Pillow (chapters/own_digits);
- `pictures`: any picture read as a grey array, behind `helpers.digits.load_grayscale`;
- `saved`: a trained model's files written whole and read back, and the book's smoothed
  loss, behind `helpers.training.save_trained` and `load_trained`;
- ``drawing_area.js`` and ``drawing_area.css``: the notebook drawing area of
  `helpers.canvas.drawing_area` (chapter 9), read as package data.
"""
