"""MNIST-style preprocessing of one's own digits (chapter 9): shipped samples and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import digits
from helpers._machinery import samples

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    folder = ROOT / "chapters" / "own_digits"
    paths = sorted(p for p in folder.iterdir() if p.suffix in digits.IMAGE_SUFFIXES)
    assert paths, f"no sample digits in {folder}: run tools/make_own_digits.py"
    return paths


def _ink_bbox(image: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def _pen_digit(height=120, width=90, light_background=True) -> np.ndarray:
    """A crude '7' drawn with Pillow, dark ink on light paper (or the reverse), uint8."""
    from PIL import ImageDraw

    paper, ink = (230, 20) if light_background else (10, 250)
    image = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(image)
    draw.line([(20, 25), (70, 25), (40, 100)], fill=ink, width=9)
    return np.asarray(image)


# --- The shipped samples ---------------------------------------------------------------------


def test_the_book_ships_two_pictures_of_each_digit(shipped):
    labels = [digits.label_from_name(p) for p in shipped]
    assert sorted(labels) == sorted(list(range(10)) * 2)
    assert sum(p.stat().st_size for p in shipped) < 400_000, "keep the sample files small"
    styles = {p.stem.split("_", 1)[1] for p in shipped}
    assert styles == set(samples.SAMPLE_STYLES)


def test_shipped_samples_include_light_dark_colour_and_transparent_pictures(shipped):
    modes = {Image.open(p).mode for p in shipped}
    assert {"L", "RGB", "RGBA"} <= modes
    light = [digits.background_level(digits.load_grayscale(p)) > 0.5 for p in shipped]
    assert 0 < sum(light) < len(light), "both light and dark backgrounds, so inversion matters"


def test_each_shipped_sample_becomes_an_mnist_style_digit(shipped):
    for path in shipped:
        digit = digits.preprocess_digit(path)
        assert digit.shape == (28, 28) and digit.dtype == np.float32, path.name
        assert digit.min() == 0.0 and digit.max() == pytest.approx(1.0), path.name
        height, width = _ink_bbox(digit)
        assert max(height, width) <= 20 and max(height, width) >= 19, (path.name, height, width)
        row, col = digits.center_of_mass(digit)
        assert abs(row - 14) <= 1.0 and abs(col - 14) <= 1.0, (path.name, row, col)


def test_for_model_gives_a_batch_of_one(shipped):
    batch = digits.preprocess_digit(shipped[0], for_model=True)
    assert batch.shape == (1, 28, 28, 1) and batch.dtype == np.float32


def test_the_generator_redraws_the_shipped_pictures(tmp_path, shipped):
    remade = samples.make_sample_digits(tmp_path)
    assert [p.name for p in remade] == [p.name for p in shipped]
    for new, old in zip(remade, shipped, strict=True):
        a = np.asarray(Image.open(new).convert("L"), dtype=float)
        b = np.asarray(Image.open(old).convert("L"), dtype=float)
        assert a.shape == b.shape and np.abs(a - b).mean() < 1.0, new.name


def test_sample_digit_paths_draws_them_when_the_folder_is_missing(tmp_path):
    paths = digits.sample_digit_paths(tmp_path / "own_digits")
    assert len(paths) == 20 and all(p.is_file() for p in paths)
    assert digits.sample_digit_paths(tmp_path / "own_digits") == paths  # second call reads them


# --- The steps -------------------------------------------------------------------------------


def test_mnist_digits_pass_through_almost_unchanged(mnist):
    x_test = mnist[1][0][:200]
    correlations = [
        np.corrcoef(digits.preprocess_digit(image).ravel(), image.ravel() / 255)[0, 1] for image in x_test
    ]
    assert np.mean(correlations) > 0.9


def test_dark_on_light_is_inverted_and_matches_its_negative():
    dark_on_light = _pen_digit(light_background=True)
    light_on_dark = _pen_digit(light_background=False)
    ink, inverted = digits.ink_on_black(digits.load_grayscale(dark_on_light))
    assert inverted and ink.max() == 1.0 and ink[0, 0] == 0.0
    assert not digits.ink_on_black(digits.load_grayscale(light_on_dark))[1]
    a, b = digits.preprocess_digit(dark_on_light), digits.preprocess_digit(light_on_dark)
    assert np.abs(a - b).max() < 0.05


def test_noise_and_uneven_light_become_zero(rng):
    image = _pen_digit().astype(float) / 255
    image = image + np.linspace(-0.08, 0.08, image.shape[1])[None, :] + rng.normal(0, 0.03, image.shape)
    ink, _ = digits.ink_on_black(np.clip(image, 0, 1).astype(np.float32))
    assert (ink[:, :10] == 0).mean() > 0.99  # the margin holds no ink


def test_crop_keeps_exactly_the_ink():
    ink = np.zeros((50, 40), np.float32)
    ink[10:30, 5:12] = 1.0
    ink[3, 35] = 1.0  # a lone speck is ignored
    assert digits.ink_box(ink) == (10, 30, 5, 12)
    assert digits.crop_to_ink(ink).shape == (20, 7)


@pytest.mark.parametrize(
    "shape, expected", [((100, 20), (20, 4)), ((20, 100), (4, 20)), ((7, 7), (20, 20)), ((300, 1), (20, 1))]
)
def test_box_keeps_the_aspect_ratio(shape, expected):
    assert digits.box_size(*shape) == expected
    assert digits.fit_in_box(np.ones(shape, np.float32)).shape == expected


def test_center_by_mass_puts_the_mass_at_14_14():
    boxed = np.zeros((12, 10), np.float32)
    boxed[:3] = 1.0  # all the weight at the top: the box moves down
    field = digits.center_by_mass(boxed)
    assert field.shape == (28, 28) and field.sum() == boxed.sum()
    row, col = digits.center_of_mass(field)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_center_by_mass_never_pushes_ink_out_of_the_field():
    boxed = np.zeros((20, 20), np.float32)
    boxed[0, 0] = 1.0
    boxed[19, 19] = 0.01
    assert digits.center_by_mass(boxed).sum() == pytest.approx(boxed.sum())


def test_resize_only_does_not_invert_or_centre():
    raw = digits.resize_only(_pen_digit())
    assert raw.shape == (28, 28) and raw.dtype == np.float32
    assert raw[0, 0] > 0.8  # the light paper stays light: what the model would see


def test_stages_are_in_order():
    stages = digits.preprocess_stages(_pen_digit())
    assert list(stages) == ["grayscale", "ink only", "cropped", "20x20 box", "centred 28x28"]
    assert max(stages["20x20 box"].shape) == 20


# --- Colour, sizes and file types --------------------------------------------------------------


def test_rgb_becomes_grey_with_bt601_weights():
    rgb = np.zeros((10, 10, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 255, 128, 0
    gray = digits.load_grayscale(rgb)
    assert gray.shape == (10, 10)
    assert gray[0, 0] == pytest.approx(0.299 + 0.587 * 128 / 255, abs=1e-3)


def test_colour_and_grey_versions_of_a_digit_agree():
    gray = _pen_digit()
    rgb = np.repeat(gray[..., None], 3, axis=2)
    assert np.allclose(digits.preprocess_digit(gray), digits.preprocess_digit(rgb), atol=1e-4)


def test_transparent_background_becomes_white_paper(tmp_path):
    alpha = np.where(_pen_digit() < 128, 255, 0).astype(np.uint8)  # ink opaque, paper transparent
    rgba = np.zeros(alpha.shape + (4,), np.uint8)
    rgba[..., 3] = alpha
    path = tmp_path / "drawing.png"
    Image.fromarray(rgba, "RGBA").save(path)
    gray = digits.load_grayscale(path)
    assert gray[0, 0] == pytest.approx(1.0, abs=0.05)  # not black, as dropping alpha would give
    assert np.allclose(digits.preprocess_digit(path), digits.preprocess_digit(_pen_digit()), atol=0.05)


def test_jpeg_and_png_files_are_read(tmp_path):
    for name in ("seven.png", "seven.jpg", "SEVEN.JPEG"):
        Image.fromarray(_pen_digit()).save(tmp_path / name)
        assert digits.preprocess_digit(tmp_path / name).shape == (28, 28)
        assert digits.preprocess_digit(str(tmp_path / name)).shape == (28, 28)


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I", "I;16", "F"])
def test_pillow_images_of_every_common_mode_are_accepted(mode):
    gray = Image.fromarray(_pen_digit())
    if mode == "I;16":
        image = Image.fromarray(_pen_digit().astype(np.uint16) * 257)
    elif mode == "F":
        image = Image.fromarray(_pen_digit().astype(np.float32) / 255)
    else:
        image = gray.convert(mode)
    assert np.abs(digits.preprocess_digit(image) - digits.preprocess_digit(gray)).max() < 0.3


def test_exif_rotation_of_a_phone_photo_is_applied(tmp_path):
    image = Image.fromarray(_pen_digit(height=120, width=90))
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    image.save(tmp_path / "photo.jpg", exif=exif)
    assert digits.load_grayscale(tmp_path / "photo.jpg").shape == (90, 120)


def test_a_huge_image_is_shrunk_and_still_works():
    big = np.full((4000, 4000), 255, np.uint8)
    big[800:3200, 1500:2300] = 0  # a thick bar: a "1"
    assert digits.load_grayscale(big).shape == (1024, 1024)
    digit = digits.preprocess_digit(big)
    assert _ink_bbox(digit)[0] == 20


def test_a_16_bit_image_is_scaled(tmp_path):
    image = (_pen_digit().astype(np.uint16) * 257)
    assert np.allclose(digits.load_grayscale(image), _pen_digit() / 255, atol=1e-3)


# --- Bad input: a ValueError that says what was expected and what came ---------------------


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros((0, 0), np.uint8), "empty"),
        (np.zeros((0,), np.float32), "empty"),
        (np.full((64, 64), 255, np.uint8), "no ink found"),
        (np.zeros((64, 64), np.uint8), "no ink found"),
        (np.full((64, 64), 0.5, np.float32), "no ink found"),
        (np.full((64, 64, 3), 200, np.uint8), "no ink found"),
        (np.zeros((3, 3), np.uint8), r"3x3 pixels: too small.*at least 8x8"),
        (np.zeros((100, 5), np.uint8), "too small"),
        (np.full((7000, 7000), 255, np.uint8), "too large"),
        (np.full((28, 28), 255.0), r"float pixels should be in \[0, 1\].*Divide 0-255 pixels by 255"),
        (np.full((28, 28), -1, np.int64), "integer pixels should be 0-255"),
        (np.full((28, 28), np.nan, np.float32), "NaN"),
        (np.full((28, 28), "a"), "should hold numbers"),
        (np.zeros((28, 28), complex), "should hold numbers"),
        (np.zeros((1, 28, 28, 1), np.float32), r"got shape \(1, 28, 28, 1\)"),
        (np.zeros((3, 40, 40), np.uint8), "Channels go last"),
        (np.zeros((40, 40, 2), np.uint8), r"\(H, W, 3\)"),
    ],
)
def test_bad_arrays_get_a_clear_message(image, message):
    with pytest.raises(ValueError, match=message):
        digits.preprocess_digit(image)


def test_a_text_file_named_png_is_refused(tmp_path):
    path = tmp_path / "digit.png"
    path.write_text("this is not a picture")
    with pytest.raises(ValueError, match="could not be read as an image.*PNG or JPEG"):
        digits.preprocess_digit(path)


def test_a_text_file_is_refused_by_its_suffix(tmp_path):
    path = tmp_path / "digit.txt"
    path.write_text("7")
    with pytest.raises(ValueError, match=r"not an image file: expected one of \.png.*got '\.txt'"):
        digits.preprocess_digit(path)


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no file at"):
        digits.preprocess_digit(tmp_path / "nowhere.png")
    with pytest.raises(ValueError, match="is a folder"):
        digits.preprocess_digit(tmp_path)


def test_a_truncated_png_is_refused(tmp_path):
    path = tmp_path / "cut.png"
    Image.fromarray(_pen_digit()).save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="could not be read as an image"):
        digits.preprocess_digit(path)


def test_a_huge_file_is_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("L", (8000, 6000), 255).save(path)
    with pytest.raises(ValueError, match=r"8000 pixels \(48 megapixels\): too large"):
        digits.preprocess_digit(path)


def test_a_tiny_file_and_a_blank_file_are_refused(tmp_path):
    Image.new("L", (3, 3), 0).save(tmp_path / "tiny.png")
    Image.new("RGB", (50, 50), (255, 255, 255)).save(tmp_path / "blank.jpg")
    with pytest.raises(ValueError, match="too small"):
        digits.preprocess_digit(tmp_path / "tiny.png")
    with pytest.raises(ValueError, match="no ink found"):
        digits.preprocess_digit(tmp_path / "blank.jpg")


@pytest.mark.parametrize("thing", [[[0, 1], [1, 0]], 7, None])
def test_other_kinds_of_input_are_refused(thing):
    with pytest.raises(ValueError, match="image should be a file path, a NumPy array or a Pillow image"):
        digits.preprocess_digit(thing)


def test_steps_check_their_input():
    with pytest.raises(ValueError, match=r"2-D grey image"):
        digits.ink_on_black(np.zeros((28, 28, 3), np.float32))
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        digits.crop_to_ink(np.full((28, 28), 2.0, np.float32))
    with pytest.raises(ValueError, match="no ink"):
        digits.fit_in_box(np.zeros((10, 10), np.float32))
    with pytest.raises(ValueError, match="does not fit"):
        digits.center_by_mass(np.ones((30, 10), np.float32))
    with pytest.raises(ValueError, match="no centre of mass"):
        digits.center_of_mass(np.zeros((5, 5)))
    with pytest.raises(ValueError, match="height should be at least 1; got 0"):
        digits.box_size(0, 5)


def test_label_from_name():
    assert digits.label_from_name("own_digits/7_paper.jpg") == 7
    with pytest.raises(ValueError, match="like '7_paper.png'"):
        digits.label_from_name("seven.png")


def test_plot_stages_draws_one_panel_per_stage():
    import matplotlib.pyplot as plt

    from helpers.plotting import plot_stages

    stages = digits.preprocess_stages(_pen_digit())
    fig, axes = plt.subplots(1, 5)
    plot_stages(stages, axes)
    assert [ax.get_title().split("\n")[0] for ax in axes] == list(stages)
    assert axes[-1].get_title().endswith("28×28")
    with pytest.raises(ValueError, match="one Axes per stage"):
        plot_stages(stages, axes[:2])
    plt.close(fig)
