"""Pictures: `![alt](images/x.jpg)` becomes a `<picture>` with WebP and original-format copies in a
few widths, the original's width and height, lazy loading below the first heading, a caption from
the title; SVGs pass through with their size; a missing file, missing alt text and an oversized
original are reported at path:line; copies are byte-identical between builds and cached on disk."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from PIL import Image
from support import SITES, run_cli

from sitegen.htmlparse import parse_page
from sitegen.images import ImageFault, encode_variant, svg_size

HANDS = "/assets/images/hands.d803885a6e"


def images_in(html: str) -> list[str]:
    """The <picture>, <source>, <img> and <figure> tags of a page's <main>, in order."""
    main = html[html.index("<main") :]
    wanted = ("picture", "source", "img", "figure", "figcaption")
    return [part.split(">", 1)[0] for part in main.split("<")[1:] if re.split(r"[ >]", part, maxsplit=1)[0] in wanted]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    site = root / "site"
    shutil.copytree(SITES / "images", site)
    out = root / "out"
    result = run_cli("build", "--source", str(site), "--out", str(out))
    assert result.code == 0, result.err
    return site, out


def test_a_photo_becomes_a_picture_with_webp_and_jpeg_in_three_widths(built):
    _, out = built
    html = (out / "guides/first/index.html").read_text(encoding="utf-8")
    webp = ", ".join(f"{HANDS}.{w}w.webp {w}w" for w in (480, 800, 1280))
    jpeg = ", ".join(f"{HANDS}.{w}w.jpg {w}w" for w in (480, 800, 1280))
    assert f'<source sizes="(max-width: 42rem) calc(100vw - 2rem), 40rem" srcset="{webp}" type="image/webp">' in html
    assert f'src="{HANDS}.1280w.jpg" srcset="{jpeg}"' in html
    assert 'width="1600"' in html and 'height="1000"' in html


def test_each_copy_has_its_width_and_the_original_aspect(built):
    _, out = built
    for width in (480, 800, 1280):
        for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(out / f"{HANDS.lstrip('/')}.{width}w.{ext}") as img:
                assert (img.format, img.size) == (fmt, (width, round(1000 * width / 1600)))
                assert "exif" not in img.info


def test_webp_is_smaller_than_the_same_width_in_jpeg(built):
    _, out = built
    webp = (out / f"{HANDS.lstrip('/')}.1280w.webp").stat().st_size
    jpeg = (out / f"{HANDS.lstrip('/')}.1280w.jpg").stat().st_size
    assert webp < jpeg


def test_first_picture_is_eager_and_in_a_figure_later_ones_lazy(built):
    _, out = built
    tags = images_in((out / "guides/first/index.html").read_text(encoding="utf-8"))
    imgs = [t for t in tags if t.startswith("img ")]
    assert tags[0] == "figure" and "figcaption" in tags
    assert "loading" not in imgs[0] and all('loading="lazy"' in t for t in imgs[1:])
    assert all('decoding="async"' in t and "width=" in t and "height=" in t and "alt=" in t for t in imgs)


def test_a_small_png_keeps_its_own_file_and_gets_one_webp(built):
    _, out = built
    html = (out / "guides/first/index.html").read_text(encoding="utf-8")
    assert 'srcset="/assets/images/diagram.56c9baed78.400w.webp 400w"' in html
    assert 'src="/assets/images/diagram.32d0c7bb92.png" width="400"' in html
    with Image.open(out / "assets/images/diagram.56c9baed78.400w.webp") as img:
        assert img.mode == "RGBA"  # transparency kept


def test_an_svg_passes_through_with_its_viewbox_size(built):
    site, out = built
    html = (out / "guides/first/index.html").read_text(encoding="utf-8")
    svg = next(t for t in images_in(html) if ".svg" in t)
    assert 'height="80"' in svg and 'width="300"' in svg and "srcset" not in svg
    copied = next((out / "assets/images").glob("scale.*.svg")).read_bytes()
    assert copied == (site / "assets/images/scale.svg").read_bytes()


def test_every_reference_in_the_output_resolves(built):
    _, out = built
    parsed = parse_page((out / "guides/first/index.html").read_text(encoding="utf-8"))
    for ref, _ in parsed.refs:
        if ref.startswith("/assets/"):
            assert (out / ref.lstrip("/")).is_file(), ref


def test_copies_are_cached_and_a_warm_build_is_byte_identical(built, tmp_path):
    site, out = built
    cached = sorted((site / ".cache/sitegen/images").iterdir())
    assert len(cached) == 7 and not [p for p in cached if p.name.startswith(".tmp")]
    again = tmp_path / "again"
    assert run_cli("build", "--source", str(site), "--out", str(again)).code == 0
    cold = tmp_path / "cold"
    assert run_cli("build", "--source", str(site), "--out", str(cold), "--no-cache").code == 0
    for other in (again, cold):
        files = sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        assert all((other / f).read_bytes() == (out / f).read_bytes() for f in files)


def test_encoding_is_deterministic():
    img = Image.new("RGB", (900, 600), (200, 100, 50))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG")
    for fmt in ("WEBP", "JPEG", "PNG"):
        assert encode_variant(buffer.getvalue(), 480, fmt) == encode_variant(buffer.getvalue(), 480, fmt)


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200"/>', (640, 200)),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="40" viewBox="0 0 12 4"/>', (120, 40)),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0,0,30.4,10"/>', (30, 10)),
    ],
)
def test_svg_size(svg, size):
    assert svg_size(svg.encode()) == size


@pytest.mark.parametrize("svg", ['<svg xmlns="http://www.w3.org/2000/svg"/>', "<svg", '<svg viewBox="0 0 0 5"/>'])
def test_svg_without_a_size_is_a_fault(svg):
    with pytest.raises(ImageFault):
        svg_size(svg.encode())


def page(body: str) -> str:
    return f"---\ntitle: The first guide\ndescription: A guide.\nreviewed: 2026-11-01\norder: 1\n---\n\n{body}\n"


def big_jpeg(width: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, 100), (10, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Text.\n\n![A hand](images/hand.jpg)",
            "content/guides/first.md:10: missing image 'images/hand.jpg' (did you mean 'images/hands.jpg'?)",
        ),
        (
            "Text.\n\n![](images/hands.jpg)",
            "content/guides/first.md:10: image 'images/hands.jpg' has no alt text "
            "(write what it shows: ![a therapist's hands on a shoulder](images/name.jpg))",
        ),
        (
            "Text.\n\n![Broken](images/broken.svg)",
            "content/guides/first.md:10: image 'images/broken.svg': this SVG has no size "
            '(add viewBox="0 0 width height" to its <svg> tag)',
        ),
    ],
)
def test_picture_problems_are_reported_at_their_line(make_site, body, expected):
    site = make_site("images", files={"content/guides/first.md": page(body)})
    (site / "assets/images/broken.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    result = run_cli("check", "--source", str(site), "--no-cache")
    assert result.code == 1
    assert expected in result.problem_lines, result.err


def test_an_oversized_original_is_a_warning_at_its_line(make_site):
    site = make_site("images", files={"content/guides/first.md": page("Text.\n\n![A wide bar](images/wide.jpg)")})
    (site / "assets/images/wide.jpg").write_bytes(big_jpeg(2700))
    result = run_cli("check", "--source", str(site), "--no-cache", "--strict")
    assert result.code == 1
    assert (
        "content/guides/first.md:10: warning: image 'images/wide.jpg' is larger than a page needs "
        "(2700 px wide, 0.0 MB) (save a copy at most 2560 px wide and under 2 MB and use that)"
    ) in result.problem_lines, result.err


def test_a_path_relative_to_the_page_works_too(make_site):
    site = make_site("images", files={"content/guides/first.md": page("![A bar](../../assets/images/scale.svg)")})
    result = run_cli("check", "--source", str(site), "--no-cache")
    assert result.code == 0, result.err
