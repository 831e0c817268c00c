"""Why a group quiz request is refused; handlers word each one.

ServiceError
 └── GameRefused
      ├── GameAlreadyRunning   a game is in its lobby or running in this group (game_id)
      ├── NotAnAdmin           only the group's admins may do this (unless they opened games to everyone)
      ├── NoSuchModule         /quiz m99: the course has no such module (module_id)
      ├── NoGame               stop/skip/join with no game running
      │    └── NotThisLobby     a Join pressed on a message that is not this group's open lobby
      ├── NotAMember           Join pressed by someone who is not a member of the group
      └── BadQuizRequest       arguments that make no sense (what)
"""

from __future__ import annotations

from bot.services.errors import ServiceError

__all__ = ["BadQuizRequest", "GameAlreadyRunning", "GameRefused", "NoGame", "NoSuchModule", "NotAMember", "NotAnAdmin",
           "NotThisLobby"]


class GameRefused(ServiceError):
    pass


class GameAlreadyRunning(GameRefused):
    def __init__(self, game_id: int, status: str) -> None:
        super().__init__(f"game {game_id} is {status}")
        self.game_id, self.status = game_id, status


class NotAnAdmin(GameRefused):
    pass


class NoSuchModule(GameRefused):
    def __init__(self, module_id: str) -> None:
        super().__init__(f"no module {module_id!r}")
        self.module_id = module_id


class NoGame(GameRefused):
    pass


class NotThisLobby(NoGame):
    pass


class NotAMember(GameRefused):
    pass


class BadQuizRequest(GameRefused):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
