"""The sitemap of every public page (django.contrib.sitemaps); the crawl test starts from it."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from public_record import selectors

STATIC_PAGES = (
    "public:index",
    "public:fund",
    "public:initiative-list",
    "public:position-list",
    "public:meeting-list",
    "public:report-list",
    "public:agreement",
    "public:data",
    "public:privacy",
    "public:personal-data",
)


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(STATIC_PAGES)

    def location(self, item):
        return reverse(item)


class InitiativesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [p.initiative for p in selectors.initiatives_decided()]

    def location(self, item):
        return reverse("public:initiative-detail", args=[item.registration_year, item.registration_serial])


class MeetingsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(selectors.meetings_published())

    def location(self, item):
        if item.status == selectors.SIGNED:
            return reverse("public:minutes-detail", args=[item.pk])
        return reverse("public:notice-detail", args=[item.pk])


class ParagraphsSitemap(Sitemap):
    changefreq = "never"

    def items(self):
        return list(selectors.paragraphs_signed())

    def location(self, item):
        return reverse("public:paragraph-detail", args=[item.body.slug, item.year, item.number])


SITEMAPS = {
    "sidor": PagesSitemap,
    "initiativ": InitiativesSitemap,
    "sammantraden": MeetingsSitemap,
    "paragrafer": ParagraphsSitemap,
}
