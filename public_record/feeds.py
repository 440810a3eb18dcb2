"""The Atom feed of published notices and signed minutes (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from public_record import selectors


class NoticesAndMinutesFeed(Feed):
    feed_type = Atom1Feed
    title = "DGR – kallelser och justerade protokoll"
    subtitle = "Värmlandsrådets och arbetsutskottets kallelser och justerade protokoll. Licens: CC0 1.0."
    feed_copyright = f"{selectors.LICENCE} {selectors.LICENCE_URL}"

    def link(self):
        return reverse("public:meeting-list")

    def items(self):
        return selectors.feed_entries()

    def item_title(self, entry):
        day = f"{timezone.localtime(entry.meeting.starts_at):%Y-%m-%d}"
        if entry.kind == "minutes":
            return f"Justerat protokoll: {entry.meeting.body.name} {day}"
        return f"Kallelse: {entry.meeting.body.name} {day}"

    def item_description(self, entry):
        local = timezone.localtime(entry.meeting.starts_at)
        return f"{entry.meeting.body.name}, {local:%Y-%m-%d} kl. {local:%H:%M}, {entry.meeting.place}"

    def item_link(self, entry):
        name = "public:minutes-detail" if entry.kind == "minutes" else "public:notice-detail"
        return reverse(name, args=[entry.meeting.pk])

    def item_guid(self, entry):
        # Stable: the kind and the meeting's number, never the URL (which could move).
        return f"dgr:{entry.kind}:{entry.meeting.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, entry):
        return entry.published

    def item_pubdate(self, entry):
        return entry.published
