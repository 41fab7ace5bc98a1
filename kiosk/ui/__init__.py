"""The booth TUI (Textual). Everything that imports Textual lives in this package.

Importing the package asks Textual for up to 120 frames a second (unless TEXTUAL_FPS is
already set): Textual batches screen updates into frames, and at its default 60 a scan
can wait up to 17 ms for the frame that shows its card. Frames are only drawn when
something changed, so an idle kiosk costs nothing more.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
