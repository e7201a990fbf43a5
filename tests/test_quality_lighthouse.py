"""Lighthouse, mobile profile, on the home page and the seed article of a
publish build served on 127.0.0.1."""

import pytest

from conftest import SEED_ARTICLE_URL
from portal.quality.lighthouse import failing_audits, lighthouse_report, scores
from portal.quality.pages import served

pytest_plugins = ["quality_fixtures"]

# Measured 1.00 in all four on both pages. Performance is timed on a shared
# 2-core machine and wobbles (0.99 seen), so it alone has a margin.
AT_LEAST = {"performance": 0.9, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


@pytest.mark.parametrize("address", ["/", "/" + SEED_ARTICLE_URL], ids=["home", "seed-article"])
def test_lighthouse_mobile_scores(published_site, address, record_property):
    with served(published_site.output, published_site.port) as base_url:
        report = lighthouse_report(base_url + address)
    found = scores(report)
    record_property("lighthouse", found)
    print(address, found)
    below = {name: score for name, score in found.items() if score < AT_LEAST[name]}
    assert below == {}, failing_audits(report)
