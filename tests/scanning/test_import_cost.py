"""Saving a registration's files must not pay for the image stack (the layers are tests/test_layers.py)."""

from __future__ import annotations

import subprocess
import sys


def test_the_attachment_service_does_not_load_the_image_stack() -> None:
    # The service checks content with the cheap sniffer only: saving a registration must not pay
    # for importing Pillow, img2pdf or pikepdf.
    code = (
        "import sys\nimport mediation_desk.services.attachments\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('PIL', 'img2pdf', 'pikepdf', 'pypdf'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
