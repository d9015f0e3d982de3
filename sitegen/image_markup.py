"""The `<img>` Markdown makes, turned into what the page shows: a `<picture>` with a WebP `srcset`
and the original's format, `width`/`height`, `sizes`, lazy loading below the top of the page, and a
`<figure>` with a caption when the image has a title (`![alt](images/x.jpg "Caption")`).

Pictures live under assets/ (editors use assets/images/): `![…](images/x.jpg)` from any page,
`/assets/images/x.jpg`, or a path relative to the page. A missing file, missing alt text,
an unreadable file and an oversized original are reported at the line that shows the picture."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from .errors import error, warning
from .hints import did_you_mean
from .images import OVERSIZED_BYTES, OVERSIZED_WIDTH, SIZES, ImageFault, ImagePlan, is_image, plan_image

ALT_HINT = "write what it shows: ![a therapist's hands on a shoulder](images/name.jpg)"
PLACE_HINT = "put the picture in assets/images/ and write ![what it shows](images/name.jpg)"


def process_images(root: etree.Element, ctx) -> None:
    """Check and rewrite every `<img>` under ``root`` in document order. A picture before the text's
    first `##` heading loads at once (it is near the top of the page); every other one lazily."""
    parents = {child: parent for parent in root.iter() for child in parent}
    seen_heading = False
    for element in list(root.iter()):
        if element.tag == "h2":
            seen_heading = True
        elif element.tag == "img":
            _process_image(element, parents.get(element), ctx, eager=not seen_heading)


def _process_image(img: etree.Element, parent, ctx, eager: bool) -> None:
    src = img.get("src", "")
    line = ctx.line_of(src) if src else ctx.first_line
    if not (img.get("alt") or "").strip():
        ctx.problems.append(error(ctx.rel_path, line, f"image '{src}' has no alt text", ALT_HINT))
    if not src or urlsplit(src).scheme or src.startswith("//"):
        return
    asset = find_asset(src, ctx)
    if asset is None:
        ctx.problems.append(_missing_problem(src, ctx, line))
        return
    img.set("src", ctx.site_url(asset.output_path))
    if not is_image(asset.name):
        ctx.problems.append(error(ctx.rel_path, line, f"'{src}' is not a picture", "use a .jpg, .png, .webp or .svg"))
        return
    try:
        plan = plan_image(asset)
    except ImageFault as exc:
        ctx.problems.append(error(ctx.rel_path, line, f"image '{src}': {exc.message}", exc.hint))
        return
    if plan.oversized:
        ctx.problems.append(_oversized_problem(src, plan, ctx, line))
    _rewrite(img, plan, ctx, eager)
    _make_figure(parent, img)


def find_asset(src: str, ctx):
    """The asset a picture's address names: relative to the page, to assets/, or site-absolute."""
    path = urlsplit(src).path
    if path.startswith("/"):
        candidates = [path.lstrip("/")]
    else:
        folder = posixpath.dirname(ctx.rel_path)
        candidates = [posixpath.normpath(posixpath.join(folder, path)), posixpath.normpath("assets/" + path)]
    return next((ctx.assets[c] for c in candidates if c in ctx.assets), None)


def _missing_problem(src: str, ctx, line: int):
    names = [a.rel_path.removeprefix("assets/") for a in ctx.assets.values() if is_image(a.name)]
    hint = did_you_mean(urlsplit(src).path.removeprefix("/assets/").lstrip("/"), names) or PLACE_HINT
    return error(ctx.rel_path, line, f"missing image '{src}'", hint)


def _oversized_problem(src: str, plan: ImagePlan, ctx, line: int):
    size = f"{plan.width} px wide, {plan.size_bytes / 1_000_000:.1f} MB"
    hint = f"save a copy at most {OVERSIZED_WIDTH} px wide and under {OVERSIZED_BYTES // 1_000_000} MB and use that"
    return warning(ctx.rel_path, line, f"image '{src}' is larger than a page needs ({size})", hint)


def _srcset(variants, ctx) -> str:
    return ", ".join(f"{ctx.site_url(v.output_path)} {v.width}w" for v in variants)


def _rewrite(img: etree.Element, plan: ImagePlan, ctx, eager: bool) -> None:
    """The `<img>` gets its size, loading hints and srcset; with a WebP copy it moves into a `<picture>`."""
    attrs = {"src": img.get("src"), "alt": img.get("alt", "")}
    if plan.fallback:
        top = plan.fallback[-1]
        attrs["src"] = ctx.site_url(top.output_path)
        if len(plan.fallback) > 1:
            attrs.update(srcset=_srcset(plan.fallback, ctx), sizes=SIZES)
    attrs.update(width=str(plan.width), height=str(plan.height), decoding="async")
    if not eager:
        attrs["loading"] = "lazy"
    title = img.get("title")
    img.attrib.clear()
    img.attrib.update(attrs)
    if title:
        img.set("data-caption", title)  # read by _make_figure, never left in the page
    if plan.webp:
        picture = etree.Element("img", dict(img.attrib))
        img.clear()
        img.tag = "picture"
        etree.SubElement(img, "source", {"type": "image/webp", "srcset": _srcset(plan.webp, ctx), "sizes": SIZES})
        img.append(picture)


def _make_figure(parent: etree.Element, element: etree.Element) -> None:
    """A paragraph holding only a titled picture becomes a `<figure>` with the title as its caption."""
    img = element if element.tag == "img" else element.find("img")
    caption = img.attrib.pop("data-caption", None)
    alone = parent is not None and parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
    if caption is None or not alone or (element.tail or "").strip():
        if caption is not None:
            img.set("title", caption)
        return
    parent.tag = "figure"
    parent.attrib.clear()
    parent.text = None
    element.tail = None
    figcaption = etree.SubElement(parent, "figcaption")
    figcaption.text = caption
