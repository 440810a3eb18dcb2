"""Retention rules (gallringsregler): the only way DGR removes anything, and the trace it leaves.

Public records are kept; what is removed is what the law and good practice say should not be kept for
ever: mail already delivered (its trace stays in the mail's history, without the text), forms' one-time
keys, and drafts that were never submitted. Each app registers the rules of its own records in its
AppConfig.ready(); the worker applies them every night (core/tasks.py) and `manage.py retention` shows or
applies them by hand. Every application of a rule writes a RetentionRun row (which the app role can only
insert), also when it removed nothing, so an auditor sees that the rules ran and what they removed.

Each rule's age is a setting in days (dgr/settings.py, environment variables of the same name)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Rule:
    code: str  # stable, stored in RetentionRun
    description: str  # what is removed and why, in Swedish (README and the admin list say the same)
    days_setting: str  # the setting that holds the age in days
    candidates: Callable[[datetime], QuerySet]  # what the rule would remove at this cut-off
    remove: Callable[[datetime], int]  # removes it and returns how many

    @property
    def days(self) -> int:
        return int(getattr(settings, self.days_setting))


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    _rules[rule.code] = rule


def rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: rule.code)


def retention_apply(*, dry_run: bool = False, now: datetime | None = None) -> list[tuple[Rule, int]]:
    """Apply every rule (or only count, with dry_run): one transaction per rule, each with its trace."""
    from core.models import RetentionRun

    now = now or timezone.now()
    results = []
    for rule in rules():
        cutoff = now - timedelta(days=rule.days)
        if dry_run:
            results.append((rule, rule.candidates(cutoff).count()))
            continue
        with transaction.atomic():
            removed = rule.remove(cutoff)
            RetentionRun.objects.create(rule=rule.code, cutoff=cutoff, removed=removed)
        results.append((rule, removed))
    return results
