"""Allow `python -m warmonitor`."""
import sys

from warmonitor.cli import main

sys.exit(main())
