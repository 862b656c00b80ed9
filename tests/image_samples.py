"""Real images for upload tests, made with Pillow (the app decodes what it is sent)."""

from __future__ import annotations

import io

from PIL import Image


def real_png(size: tuple[int, int] = (16, 16), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "navy" if mode == "RGB" else 1).save(out, format="PNG")
    return out.getvalue()


def real_jpeg(size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, format="JPEG")
    return out.getvalue()
