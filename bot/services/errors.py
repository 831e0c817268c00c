"""Domain errors raised by services; handlers map each to a friendly message.

ServiceError
 ├── UnknownCourse        a deep link or button names a course we do not have
 ├── NotEnrolled          the learner has no active course yet
 ├── StaleReference       a button points at content that no longer exists
 └── InvalidSetting       a time zone or time of day that makes no sense
"""

from __future__ import annotations

__all__ = ["InvalidSetting", "NotEnrolled", "ServiceError", "StaleReference", "UnknownCourse"]


class ServiceError(Exception):
    """Base class of every error a service raises on purpose."""


class UnknownCourse(ServiceError):
    def __init__(self, course_id: str) -> None:
        super().__init__(f"unknown course {course_id!r}")
        self.course_id = course_id


class NotEnrolled(ServiceError):
    pass


class StaleReference(ServiceError):
    def __init__(self, what: str) -> None:
        super().__init__(f"no longer exists: {what}")
        self.what = what


class InvalidSetting(ServiceError):
    def __init__(self, setting: str, value: str) -> None:
        super().__init__(f"invalid {setting}: {value!r}")
        self.setting = setting
        self.value = value
