"""The demo's model: locales, taxonomies, content types and audiences (the
media records are in ``_media``)."""

from __future__ import annotations

from typing import Any

from seed.data._text import field, tr

# English is the default; de-CH falls back to de, the others to English.
LOCALES: list[dict[str, Any]] = [
    {"code": "en", "is_default": True},
    {"code": "de"},
    {"code": "de-CH", "fallbacks": ["de"]},
    {"code": "nb"},
    {"code": "zh-Hans"},
    {"code": "ar"},
]

# Terms are (key, labels by locale, parent key or None); parents come first.
TAXONOMIES: list[dict[str, Any]] = [
    {
        "key": "topic",
        "name": "Topic",
        "description": "What an entry is about: a model family or a service.",
        "terms": [
            (
                "models",
                tr("Models", "Modelle", nb="Modeller", zh="车型", ar="الطرازات"),
                None,
            ),
            (
                "e-bikes",
                tr(
                    "E-bikes",
                    "E-Bikes",
                    nb="Elsykler",
                    zh="电动自行车",
                    ar="دراجات كهربائية",
                ),
                "models",
            ),
            (
                "city",
                tr("City", "Stadt", nb="By", zh="城市", ar="المدينة"),
                "e-bikes",
            ),
            (
                "cargo",
                tr("Cargo", "Lastenrad", nb="Last", zh="货运", ar="دراجات الشحن"),
                "e-bikes",
            ),
            (
                "cars",
                tr("Cars", "Autos", nb="Biler", zh="汽车", ar="سيارات"),
                "models",
            ),
            (
                "electric",
                tr(
                    "Electric", "Elektrisch", nb="Elektrisk", zh="纯电动", ar="كهربائية"
                ),
                "cars",
            ),
            (
                "services",
                tr("Services", "Service", nb="Tjenester", zh="服务", ar="الخدمات"),
                None,
            ),
            (
                "financing",
                tr(
                    "Financing",
                    "Finanzierung",
                    nb="Finansiering",
                    zh="金融方案",
                    ar="التمويل",
                ),
                "services",
            ),
        ],
    },
    {
        "key": "journey_stage",
        "name": "Journey stage",
        "description": "Where in the customer journey an entry is meant to be used.",
        "terms": [
            (
                "awareness",
                tr(
                    "Awareness",
                    "Aufmerksamkeit",
                    nb="Oppmerksomhet",
                    zh="认知",
                    ar="الوعي",
                ),
                None,
            ),
            (
                "consideration",
                tr(
                    "Consideration", "Abwägung", nb="Vurdering", zh="考虑", ar="الدراسة"
                ),
                None,
            ),
            (
                "purchase",
                tr("Purchase", "Kauf", nb="Kjøp", zh="购买", ar="الشراء"),
                None,
            ),
            (
                "onboarding",
                tr(
                    "Onboarding",
                    "Onboarding",
                    nb="Oppstart",
                    zh="新手引导",
                    ar="البداية",
                ),
                None,
            ),
            (
                "retention",
                tr("Retention", "Bindung", nb="Lojalitet", zh="留存", ar="الاحتفاظ"),
                None,
            ),
            (
                "win-back",
                tr(
                    "Win-back",
                    "Rückgewinnung",
                    nb="Tilbakevinning",
                    zh="召回",
                    ar="الاستعادة",
                ),
                None,
            ),
        ],
    },
    {
        "key": "campaign",
        "name": "Campaign",
        "description": "The marketing campaign an entry belongs to.",
        "terms": [
            (
                "spring-2026",
                tr(
                    "Spring 2026",
                    "Frühling 2026",
                    nb="Våren 2026",
                    zh="2026 春季",
                    ar="ربيع 2026",
                ),
                None,
            ),
            (
                "summer-commute",
                tr(
                    "Summer Commute",
                    "Summer Commute",
                    nb="Sommerpendling",
                    zh="夏季通勤",
                    ar="تنقّل الصيف",
                ),
                None,
            ),
            (
                "black-week",
                tr(
                    "Black Week",
                    "Black Week",
                    nb="Black Week",
                    zh="黑色购物周",
                    ar="أسبوع الجمعة السوداء",
                ),
                None,
            ),
            (
                "loyalty",
                tr("Loyalty", "Treue", nb="Lojalitet", zh="会员回馈", ar="الولاء"),
                None,
            ),
        ],
    },
]

_CURRENCY = "^[A-Z]{3}$"

CONTENT_TYPES: list[dict[str, Any]] = [
    {
        "key": "article",
        "name": "Article",
        "description": "Product pages, guides and stories for the website and "
        "the newsletter.",
        "channels": ["web", "email"],
        "fields": [
            field(
                "title", "text", "Title", localized=True, required=True, max_length=90
            ),
            field("summary", "text", "Summary", localized=True, max_length=320),
            field(
                "body",
                "text",
                "Body (paragraphs separated by a blank line)",
                localized=True,
                max_length=10_000,
            ),
            field("url", "url", "Canonical URL", required=True),
            field("reading_minutes", "number", "Reading time (minutes)", min=1, max=60),
            field("published_on", "date", "Published on"),
            field("hero_image", "media", "Hero image"),
            field("price_from", "number", "Price from", min=0),
            field("currency", "text", "Currency (ISO 4217)", pattern=_CURRENCY),
        ],
    },
    {
        "key": "offer",
        "name": "Offer",
        "description": "A time-limited offer on a product, sent on every "
        "marketing channel.",
        "channels": ["web", "email", "push", "sms"],
        "fields": [
            # 60 characters keep a title whole in a push title and an SMS.
            field(
                "title", "text", "Title", localized=True, required=True, max_length=60
            ),
            field("summary", "text", "Summary", localized=True, max_length=240),
            field("cta_label", "text", "Button label", localized=True, max_length=40),
            field("details", "rich_text", "What is included", localized=True),
            field(
                "conditions",
                "markdown",
                "Conditions (Markdown)",
                localized=True,
                max_length=2_000,
            ),
            field("cta_url", "url", "Button link", required=True),
            field("price", "number", "Price", required=True, min=0),
            field("original_price", "number", "Price before the offer", min=0),
            field("discount", "number", "Discount (share, 0.15 = 15 %)", min=0, max=1),
            field("currency", "text", "Currency (ISO 4217)", pattern=_CURRENCY),
            field(
                "price_period",
                "text",
                "Price period",
                enum=["once", "month"],
            ),
            field("hide_price", "boolean", "Hide the price"),
            field("valid_until", "date", "Valid until"),
            field("image", "media", "Image"),
            field("product", "entry", "Product article", allowed_types=["article"]),
        ],
    },
    {
        "key": "hero_banner",
        "name": "Hero banner",
        "description": "The big banner on top of the home page and the app.",
        "channels": ["web", "in_app"],
        "fields": [
            field(
                "headline",
                "text",
                "Headline",
                localized=True,
                required=True,
                max_length=60,
            ),
            field("subline", "text", "Subline", localized=True, max_length=200),
            field("cta_label", "text", "Button label", localized=True, max_length=40),
            field("cta_url", "url", "Button link", required=True),
            field("image", "media", "Image"),
            field("theme", "text", "Theme", enum=["light", "dark"]),
            field("ends_on", "date", "Ends on"),
        ],
    },
    {
        "key": "onboarding_tip",
        "name": "Onboarding tip",
        "description": "One step of the first weeks with a new Voltaro, sent "
        "by email, push and in the app.",
        "channels": ["email", "push", "in_app"],
        "fields": [
            field(
                "title", "text", "Title", localized=True, required=True, max_length=60
            ),
            field(
                "body",
                "markdown",
                "Body (Markdown)",
                localized=True,
                required=True,
                max_length=400,
            ),
            field("step", "number", "Step", required=True, min=1, max=12),
            field(
                "deep_link",
                "text",
                "App deep link",
                required=True,
                pattern=r"^voltaro://[a-z0-9/_-]+$",
            ),
            field("cta_label", "text", "Button label", localized=True, max_length=40),
            field("image", "media", "Image"),
        ],
    },
]

AUDIENCES: list[dict[str, Any]] = [
    {
        "key": "purchaser",
        "name": "Purchasers (segment or attribute)",
        "condition": {"$or": [{"segments": "purchaser"}, {"has_purchased": True}]},
    },
    {
        "key": "vip",
        "name": "VIP: high lead score or gold tier",
        "condition": {"$or": [{"lead_score": {"$gte": 80}}, {"loyalty_tier": "gold"}]},
    },
    {
        "key": "cart_abandoner",
        "name": "Cart abandoners",
        "condition": {"segments": "cart_abandoner"},
    },
]
