"""Pictures in Markdown: what each image file is (size, kind) and the resized copies the build makes.

An editor's `![alt](images/x.jpg)` becomes a `<picture>`: a WebP `srcset` and one in the original's
format, a few widths each, with the original's `width`/`height` so the page does not jump. An SVG is
used as it is, with its size read from its `width`/`height` or `viewBox`. Which copies exist, and
what they are called, is a pure function of the file's bytes and the settings below
(`plan_image`); `image_outputs` makes their bytes with Pillow, from `<cache dir>/images/` where an
earlier build made them. Same input, same bytes: fixed save options, no metadata.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import tempfile
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageOps

from .model import Asset, OutputFile, Site

WIDTHS = (480, 800, 1280)  # the content column is 40rem: 1280 px covers it on a 2x screen
MAX_WIDTH = WIDTHS[-1]
OVERSIZED_WIDTH = 2 * MAX_WIDTH  # wider originals only cost the editor's disk and the build's time
OVERSIZED_BYTES = 2_000_000
SIZES = "(max-width: 42rem) calc(100vw - 2rem), 40rem"  # the column: 40rem wide, 1rem gutters
# Save options, fixed so the same original always gives the same bytes (and part of every name).
SAVE = {
    "WEBP": {"quality": 80, "method": 6},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
IMAGE_SUFFIXES = (*FORMATS, ".gif", ".avif", ".svg")
CACHE_SUBDIR = "images"


class ImageFault(Exception):
    """An image file that cannot be read: ``message`` says why, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str = "save it again from an image editor") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # WEBP, JPEG or PNG
    output_path: str


@dataclass(frozen=True)
class ImagePlan:
    """One image file: its size as shown, its bytes, and the resized copies the build makes."""

    width: int
    height: int
    size_bytes: int
    svg: bool
    webp: tuple = ()  # Variants, narrowest first
    fallback: tuple = ()  # Variants in the original's format (the original itself at its own width)

    @property
    def oversized(self) -> bool:
        return self.width > OVERSIZED_WIDTH or self.size_bytes > OVERSIZED_BYTES


def is_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def settings_key() -> str:
    """Everything besides the original's bytes that decides a copy's bytes."""
    return repr((WIDTHS, sorted((k, sorted(v.items())) for k, v in SAVE.items()), PIL.__version__))


def plan_image(asset: Asset) -> ImagePlan:
    """What the build makes of ``asset``; raises ImageFault when it is not a readable image."""
    return _plan(asset.name, asset.output_path, asset.content)


@functools.lru_cache(maxsize=256)
def _plan(name: str, output_path: str, content: bytes) -> ImagePlan:
    if name.lower().endswith(".svg"):
        width, height = svg_size(content)
        return ImagePlan(width, height, len(content), svg=True)
    width, height = _raster_size(content)
    fmt = FORMATS.get("." + name.rsplit(".", 1)[-1].lower())
    if fmt is None:  # GIF, AVIF: shown as they are
        return ImagePlan(width, height, len(content), svg=False)
    key = hashlib.sha256(content + settings_key().encode()).hexdigest()[:10]
    stem = "assets/" + name.rsplit(".", 1)[0]

    def variant(w: int, f: str, path: str | None = None) -> Variant:
        h = max(1, round(height * w / width))
        return Variant(w, h, f, path or f"{stem}.{key}.{w}w.{EXTENSIONS[f]}")

    widths = sorted({w for w in WIDTHS if w < width} | {min(width, MAX_WIDTH)})
    webp = tuple(variant(w, "WEBP") for w in widths)
    fallback = tuple(variant(w, fmt, output_path if w == width else None) for w in widths)
    return ImagePlan(width, height, len(content), svg=False, webp=() if fmt == "WEBP" else webp, fallback=fallback)


def _raster_size(content: bytes) -> tuple[int, int]:
    """Width and height as shown: after the camera's rotation (EXIF orientation), if any."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            width, height = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageFault(f"cannot read this image: {exc}") from exc
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


SVG_SIZE_HINT = 'add viewBox="0 0 width height" to its <svg> tag'
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")


def svg_size(content: bytes) -> tuple[int, int]:
    """An SVG's size from its width and height in px (or plain numbers), else from its viewBox."""
    try:
        root = etree.fromstring(content)
    except etree.ParseError as exc:
        raise ImageFault(f"this SVG is not well-formed XML: {exc}", "save it again from an SVG editor") from exc
    sizes = [LENGTH.fullmatch(root.get(name) or "") for name in ("width", "height")]
    if all(sizes):
        return tuple(max(1, round(float(m.group(1)))) for m in sizes)
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        _, _, width, height = (float(p) for p in parts)
    except ValueError:
        raise ImageFault("this SVG has no size", SVG_SIZE_HINT) from None
    if width <= 0 or height <= 0:
        raise ImageFault("this SVG's viewBox has no area", SVG_SIZE_HINT)
    return max(1, round(width)), max(1, round(height))


def image_outputs(site: Site, cache_folder: Path | None) -> list[OutputFile]:
    """The resized copies of every picture under assets/, from ``cache_folder``/images where an
    earlier build made them (``None``: no disk cache). Unreadable images are left to the pages'
    messages, which name the line that shows them."""
    outputs = []
    store = cache_folder / CACHE_SUBDIR if cache_folder is not None else None
    for asset in sorted(site.assets.values(), key=lambda a: a.name):
        if not is_image(asset.name):
            continue
        try:
            plan = plan_image(asset)
        except ImageFault:
            continue
        for item in plan.webp + plan.fallback:
            if item.output_path != asset.output_path:
                outputs.append(OutputFile(item.output_path, _variant_bytes(asset, item, store), asset.rel_path))
    return outputs


def _variant_bytes(asset: Asset, item: Variant, store: Path | None) -> bytes:
    key = hashlib.sha256(repr((asset.content, item.width, item.format, settings_key())).encode()).hexdigest()
    cached = store / f"{key}.{EXTENSIONS[item.format]}" if store is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    content = encode_variant(asset.content, item.width, item.format)
    if cached is not None:
        _save_atomic(cached, content)
    return content


def encode_variant(content: bytes, width: int, fmt: str) -> bytes:
    """The image resized to ``width`` and saved as ``fmt`` with the fixed options: no metadata."""
    with Image.open(io.BytesIO(content)) as original:
        img = ImageOps.exif_transpose(original)
        height = max(1, round(img.height * width / img.width))
        img = img.convert(_mode(img, fmt)).resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, fmt, **SAVE[fmt])
    return out.getvalue()


def _mode(img: Image.Image, fmt: str) -> str:
    alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if fmt == "JPEG":
        return "L" if img.mode in ("L", "1") else "RGB"
    return "RGBA" if alpha else ("L" if img.mode in ("L", "1") and fmt == "PNG" else "RGB")


def _save_atomic(path: Path, content: bytes) -> None:
    """Write beside the final name, then rename: a killed build leaves no half-written copy. The
    folder is only a speed-up, so a failure to write it is ignored."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
