"""The ``local`` backend: registered so asking for it says why it is not offered, then falls back to extractive.

No packaged instruct model answers usefully on this machine (see the README's "local backend" note).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.generators.base import GeneratorError

if TYPE_CHECKING:
    from bot.settings import BotSettings


class LocalGenerator:
    name = "local"

    @classmethod
    def from_settings(cls, settings: BotSettings) -> LocalGenerator:
        raise GeneratorError(
            "The 'local' backend is not available: no packaged instruct model runs acceptably on this machine.")
