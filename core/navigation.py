"""The navigation and the start page's list of tasks, filled by each app in its AppConfig.ready().

Core cannot import the apps built on it, so they register what they offer here, each entry with the
predicate that decides who sees it: the menu shows each role exactly what it may do.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    description: str
    visible_to: Callable[[object], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return _reverse(self.url_name, get_script_prefix())


@lru_cache(maxsize=128)
def _reverse(url_name: str, script_prefix: str) -> str:
    # Every page's menu reverses the same names; the paths change only with the prefix the app is
    # mounted under (the URLs are not translated), so each is worked out once per process.
    return reverse(url_name)


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if any(existing.url_name == entry.url_name for existing in _entries):
        return
    _entries.append(entry)
    _entries.sort(key=lambda e: e.order)


def entries_for(user) -> list[NavEntry]:
    if not user.is_authenticated:
        return []
    return [entry for entry in _entries if entry.visible_to(user)]
