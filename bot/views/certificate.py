"""The certificate as a PNG: name, course, score, date and verification code (drawn with Pillow)."""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.i18n import label

__all__ = ["certificate_png"]

WIDTH, HEIGHT = 1600, 1130
INK, ACCENT, PAPER = (30, 41, 59), (29, 99, 237), (250, 248, 242)


FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"  # shipped with the bot: accents on every machine


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, fill: tuple[int, int, int]) -> None:
    font = _font(size)
    while size > 20 and draw.textlength(text, font=font) > WIDTH - 240:
        size -= 4
        font = _font(size)
    draw.text((WIDTH // 2, y), text, font=font, fill=fill, anchor="mm")


def certificate_png(*, lang: str, name: str, course: str, score: int, total: int, issued: datetime,
                    code: str, exam_only: bool = False) -> bytes:
    """CPU work of a few tens of milliseconds: call it off the event loop. `exam_only`: a bot without a lab
    certifies the final exam alone, and the certificate says so."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, WIDTH - 30, HEIGHT - 30), outline=ACCENT, width=8)
    draw.rectangle((52, 52, WIDTH - 52, HEIGHT - 52), outline=INK, width=2)
    _centered(draw, 190, label(lang, "certificate_title"), 84, ACCENT)
    _centered(draw, 330, label(lang, "certificate_awarded"), 40, INK)
    _centered(draw, 440, name or "—", 96, INK)
    _centered(draw, 560, label(lang, "certificate_for"), 40, INK)
    _centered(draw, 650, f"« {course} »" if lang == "fr" else f"“{course}”", 60, INK)
    _centered(draw, 770, label(lang, "certificate_score_exam_only" if exam_only else "certificate_score", score=score, total=total), 36, INK)
    _centered(draw, 850, label(lang, "certificate_date", date=issued.strftime("%d/%m/%Y")), 36, INK)
    _centered(draw, 970, label(lang, "certificate_code", code=code), 44, ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
