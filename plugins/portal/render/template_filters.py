"""The filters our templates use: theme asset addresses, Vietnamese dates and numbers.
(Features add their own, e.g. search.plugin's `search_words`.)"""

from ..core import vietnamese


def add_template_filters(generator):
    """Pelican's generator_init signal."""
    settings = generator.settings

    def asset(relative):
        """{{ "css/site.css"|asset }}: the address of a theme file, fingerprinted when publishing."""
        return f"{settings['SITEURL']}/{settings['THEME_ASSETS'][relative]}"

    generator.env.filters.update(
        asset=asset,
        vi_long_date=vietnamese.long_date,
        vi_short_date=vietnamese.short_date,
        vi_month_year=vietnamese.month_year,
        vi_number=vietnamese.number,
    )
