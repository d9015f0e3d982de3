#!/usr/bin/env python3
"""Build, check, preview or scaffold the site. Run `python build.py --help`."""

import sys
from pathlib import Path

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(default_source=Path(__file__).resolve().parent))
