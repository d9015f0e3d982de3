"""Write the rendered site: into a folder beside the output, then swapped in whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import Problem, error
from .model import OutputFile


def check_output_dir(out_dir: Path, source_dir: Path) -> list[Problem]:
    """The output folder must not be, hold, or sit inside the site's sources; never the root or home."""
    out, src = out_dir.resolve(), source_dir.resolve()
    inputs = [src / "content", src / "templates", src / "assets", src / "static"]
    for folder in [src] + inputs:
        inside_input = folder in inputs and folder in out.parents
        if out == folder or out in folder.parents or inside_input:
            return [
                error(
                    str(out_dir),
                    0,
                    f"refusing to write the site into {out_dir}: it is or holds {folder.name or folder}",
                    "choose an output folder such as _site",
                )
            ]
    if out == Path(out.anchor) or out == Path.home().resolve():
        return [error(str(out_dir), 0, "refusing to use this folder for output", "choose a folder such as _site")]
    return []


def _safe_target(root: Path, output_path: str) -> Path:
    pure = PurePosixPath(output_path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"output path escapes the output folder: {output_path}")
    return root.joinpath(*pure.parts)


def write_output(outputs: list[OutputFile], out_dir: Path) -> None:
    """Write every file to a fresh folder next to ``out_dir``, then swap it in."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for item in sorted(outputs, key=lambda o: o.output_path):
            target = _safe_target(staging, item.output_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.content)
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
