"""What stays of a learner's data after they asked to be forgotten: only that a certificate code was withdrawn.

A certificate already handed to somebody (a PNG with its code) keeps answering `/verify`, with "withdrawn at
its holder's request": the code, the course and when; no name, no score, no link to anyone.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

__all__ = ["WithdrawnCertificate"]


class WithdrawnCertificate(SQLModel, table=True):
    __tablename__ = "withdrawn_certificate"

    code: str = Field(primary_key=True, max_length=32)
    course_title: str = Field(max_length=200)
    withdrawn_at: datetime
