"""`python -m bot` runs the same command line as `factbot`."""
import sys

from bot.cli import main

sys.exit(main())
