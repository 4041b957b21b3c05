"""Write `helpers/data_files/uci_digits.npz`: the handwritten digits chapter 9 reads.

They are the 1,797 digits of the test part of the UCI "Optical Recognition of Handwritten
Digits" data set (E. Alpaydin and C. Kaynak, 1998; https://doi.org/10.24432/C50P49, licensed
CC BY 4.0), written on a form by 13 people, as scikit-learn ships them in
`sklearn.datasets.load_digits`: 8 x 8 images whose pixels count the ink (0-16) in 4 x 4 blocks
of the 32 x 32 scan. The book ships this small extract (about 45 KB) instead of depending on
scikit-learn. Run it again only to remake the file (it needs scikit-learn, which the book does
not install):

    python -m pip install scikit-learn && python tools/extract_uci_digits.py
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "helpers" / "data_files" / "uci_digits.npz"


def main() -> int:
    import sklearn
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images.astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    assert images.shape == (1797, 8, 8) and images.max() == 16 and set(labels) == set(range(10))
    np.savez_compressed(OUT, images=images, labels=labels)
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes) from scikit-learn {sklearn.__version__}; "
          f"sha256 of images+labels {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
