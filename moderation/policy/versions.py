"""Policy versions as a history: comparing any two, and restoring an old one as a new version."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from moderation.models import PolicyVersion, WordListEntry

# Fields that describe a save rather than the policy.
NOT_POLICY = {"id", "created_at", "created_by", "note", "language_overrides"}


@dataclass(frozen=True)
class Difference:
    """One setting that differs between two versions, as owners read it."""

    setting: str
    old: str
    new: str


def policy_fields() -> list:
    return [f for f in PolicyVersion._meta.concrete_fields if f.name not in NOT_POLICY]


def version_or_default(pk: str | int | None) -> PolicyVersion:
    """The saved version with this id, or the default policy for "default"; DoesNotExist else."""
    if pk is None or pk in ("", "default"):
        return PolicyVersion()
    return PolicyVersion.objects.get(pk=int(pk))


def differences(old: PolicyVersion, new: PolicyVersion) -> list[Difference]:
    """Only what differs: thresholds and rules, each language's own thresholds, list entries."""
    found = []
    for field in policy_fields():
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before != after:
            found.append(Difference(str(field.verbose_name), show_value(before), show_value(after)))
    old_overrides, new_overrides = old.language_overrides or {}, new.language_overrides or {}
    for language in sorted(set(old_overrides) | set(new_overrides)):
        before, after = old_overrides.get(language, {}), new_overrides.get(language, {})
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):
                label = PolicyVersion.field_label(name)
                found.append(
                    Difference(
                        f"[{language}] {label}",
                        show_value(before.get(name)),
                        show_value(after.get(name)),
                    )
                )
    old_words, new_words = set(old.word_entries_as_tuples()), set(new.word_entries_as_tuples())
    rules = dict(WordListEntry.Rule.choices)
    for language, rule, phrase in sorted(old_words ^ new_words):
        where = language or _("all languages")
        setting = _("Word list (%(where)s, %(rule)s)") % {"where": where, "rule": rules[rule]}
        present = (language, rule, phrase) in new_words
        found.append(Difference(setting, "" if present else phrase, phrase if present else ""))
    return found


def show_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_format(value)  # "0,02" for German owners
    return str(value)


def restore(*, version: PolicyVersion, by) -> PolicyVersion:
    """A new version equal to `version` (thresholds, languages' thresholds, word lists)."""
    note = _("Restored version %(id)s") % {"id": version.pk} if version.pk else _("Defaults")
    return copy_version(version=version, by=by, note=note)


@transaction.atomic
def copy_version(*, version: PolicyVersion, by, note: str, **changes) -> PolicyVersion:
    """A new version equal to `version` but for `changes`, with its word lists; saved and
    validated (ValidationError names the field). Versions are never edited, so this copies."""
    copy = PolicyVersion(
        **{field.name: getattr(version, field.name) for field in policy_fields()},
        language_overrides=dict(version.language_overrides or {}),
        created_by=by,
        note=note,
    )
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.full_clean(exclude=["created_by"])
    copy.save()
    WordListEntry.objects.bulk_create(
        WordListEntry(version=copy, language=language, rule=rule, phrase=phrase)
        for language, rule, phrase in version.word_entries_as_tuples()
    )
    return copy


def previous(version: PolicyVersion) -> PolicyVersion:
    """The version saved before this one, or the defaults if it was the first."""
    earlier = Q(created_at__lt=version.created_at) | Q(
        created_at=version.created_at, pk__lt=version.pk
    )
    return PolicyVersion.objects.filter(earlier).order_by("-created_at", "-id").first() or (
        PolicyVersion()
    )
