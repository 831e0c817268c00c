"""Who is in a group and what the bot may do there, as Telegram keeps it.

A group or supergroup `Chat` carries a `GroupState`: its members with their status (creator,
administrator, member, left, kicked), the bot's own status and rights, privacy mode (the bot then
receives only commands and service messages) and, once upgraded, the supergroup it migrated to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ANONYMOUS_ADMIN", "GroupState", "chat_member_json"]

ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
"""The sender Telegram shows for a message an anonymous admin sent (with the group as sender_chat)."""

_ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
                 "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
                 "can_edit_stories", "can_delete_stories", "can_pin_messages")


@dataclass
class GroupState:
    members: dict[int, tuple[dict, str]] = field(default_factory=dict)  # user id -> (user, status)
    bot_status: str = "member"  # member | administrator | restricted | left | kicked
    can_send_messages: bool = True  # the group's (or the bot's own) permission
    can_send_polls: bool = True
    privacy: bool = True
    migrated_to: int | None = None

    def status(self, user_id: int) -> str:
        return self.members[user_id][1] if user_id in self.members else "left"

    def is_member(self, user_id: int) -> bool:
        return self.status(user_id) in ("creator", "administrator", "member", "restricted")

    def admins(self) -> list[tuple[dict, str]]:
        return [(user, status) for user, status in self.members.values() if status in ("creator", "administrator")]


def chat_member_json(user: dict, status: str) -> dict:
    """A ChatMember object as the Bot API returns it, for `status`."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        return {"status": "administrator", "user": user, "can_be_edited": False, "is_anonymous": False,
                **dict.fromkeys(_ADMIN_RIGHTS, True), "can_post_messages": True, "can_edit_messages": True}
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    if status == "restricted":
        return {"status": "restricted", "user": user, "is_member": True, "until_date": 0,
                "can_send_messages": False, "can_send_audios": False, "can_send_documents": False,
                "can_send_photos": False, "can_send_videos": False, "can_send_video_notes": False,
                "can_send_voice_notes": False, "can_send_polls": False, "can_send_other_messages": False,
                "can_add_web_page_previews": False, "can_change_info": False, "can_invite_users": False,
                "can_pin_messages": False, "can_manage_topics": False}
    return {"status": status, "user": user}
