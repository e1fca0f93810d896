"""The default indicator set (version "default-1"), loaded by a data
migration. A partnership adopting its regional tool adds a new version; each
screening keeps the version it used.

(code, domain, text, significant, disclosure, persistent_absence)
"""

DEFAULT_VERSION = "default-1"
DEFAULT_NAME = "CSE screening tool"

DEFAULT_INDICATORS = [
    (
        "missing_repeat",
        "missing",
        "Missing from home or care, repeatedly",
        True,
        False,
        False,
    ),
    (
        "missing_overnight",
        "missing",
        "Missing overnight or returns late with no explanation",
        False,
        False,
        False,
    ),
    (
        "education_persistent_absence",
        "education",
        "Persistent absence from school",
        False,
        False,
        True,
    ),
    (
        "education_missing",
        "education",
        "Missing from education (not on a school roll)",
        True,
        False,
        False,
    ),
    (
        "education_performance",
        "education",
        "Marked change in performance or behaviour at school",
        False,
        False,
        False,
    ),
    (
        "relationships_older_partner",
        "relationships",
        "An older or controlling 'boyfriend' or 'girlfriend'",
        True,
        False,
        False,
    ),
    (
        "relationships_unknown_adults",
        "relationships",
        "Contact with unknown adults",
        False,
        False,
        False,
    ),
    (
        "relationships_peers",
        "relationships",
        "Associating with young people known to be exploited",
        False,
        False,
        False,
    ),
    (
        "places_hotels",
        "places",
        "Unexplained contact with hotels, taxi firms or takeaways",
        True,
        False,
        False,
    ),
    (
        "places_other_towns",
        "places",
        "Taken to or found in other towns",
        True,
        False,
        False,
    ),
    (
        "vehicles_unknown_adults",
        "vehicles",
        "Getting into cars with unknown adults",
        True,
        False,
        False,
    ),
    (
        "money_gifts",
        "money",
        "Unexplained money, phones, clothes or gifts",
        False,
        False,
        False,
    ),
    (
        "online_contact",
        "online",
        "Online contact with unknown adults, or sharing images",
        False,
        False,
        False,
    ),
    (
        "substances",
        "substances",
        "Use of alcohol or drugs, supplied by adults",
        False,
        False,
        False,
    ),
    (
        "health_sexual",
        "health",
        "Sexually transmitted infection, pregnancy or termination",
        True,
        False,
        False,
    ),
    ("health_injuries", "health", "Unexplained injuries", False, False, False),
    (
        "emotional_self_harm",
        "emotional",
        "Self-harm, low mood or withdrawal",
        False,
        False,
        False,
    ),
    (
        "disclosure",
        "emotional",
        "Disclosure of sexual exploitation or abuse",
        True,
        True,
        False,
    ),
]


def default_set_load(*, indicator_set_model, indicator_model):
    """The default set, made if missing (the data migration, with its
    historical models; tests that flush tables, with the live ones)."""
    tool, _ = indicator_set_model.objects.get_or_create(
        version=DEFAULT_VERSION,
        defaults={
            "name": DEFAULT_NAME,
            "current": not indicator_set_model.objects.filter(current=True).exists(),
        },
    )
    for order, (code, domain, text, significant, disclosure, absence) in enumerate(
        DEFAULT_INDICATORS
    ):
        indicator_model.objects.get_or_create(
            indicator_set=tool,
            code=code,
            defaults={
                "domain": domain,
                "text": text,
                "significant": significant,
                "disclosure": disclosure,
                "persistent_absence": absence,
                "order": order,
            },
        )
    return tool
