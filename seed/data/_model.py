# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""The demo's model: locales, taxonomies, content types, media and audiences."""

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

_MEDIA_BASE = "https://media.voltaro.example"


def _media(
    path: str,
    title: str,
    alt: dict[str, str],
    size: tuple[int, int] = (2400, 1600),
    focal: tuple[float, float] = (0.5, 0.5),
    mime_type: str = "image/jpeg",
) -> dict[str, Any]:
    return {
        "url": f"{_MEDIA_BASE}/{path}",
        "mime_type": mime_type,
        "title": title,
        "alt": alt,
        "width": size[0],
        "height": size[1],
        "focal_point": {"x": focal[0], "y": focal[1]},
    }


MEDIA: dict[str, dict[str, Any]] = {
    "city-one": _media(
        "bikes/city-one-side.jpg",
        "City One, side view",
        tr(
            "The Voltaro City One in sage green, seen from the side",
            "Das Voltaro City One in Salbeigrün, von der Seite",
            nb="Voltaro City One i salviegrønn, sett fra siden",
            zh="鼠尾草绿色的 Voltaro City One 侧面图",
            ar="دراجة سيتي ون من Voltaro باللون الأخضر المريمي من الجانب",
        ),
        focal=(0.52, 0.58),
    ),
    "cargo-max": _media(
        "bikes/cargo-max-front.jpg",
        "Cargo Max with the box open",
        tr(
            "The Cargo Max with its front box open and two child seats",
            "Das Cargo Max mit geöffneter Frontbox und zwei Kindersitzen",
            nb="Cargo Max med åpen lasteboks og to barneseter",
            zh="打开前置货箱的 Cargo Max，内有两个儿童座椅",
        ),
        focal=(0.4, 0.6),
    ),
    "trail-s": _media(
        "bikes/trail-s-forest.jpg",
        "Trail S in the forest",
        tr(
            "A rider on a Trail S on a forest trail",
            "Eine Fahrerin auf einem Trail S auf einem Waldweg",
            nb="En syklist på en Trail S på en skogssti",
        ),
        focal=(0.6, 0.45),
    ),
    "volt-e5": _media(
        "cars/e5-city-dusk.jpg",
        "E5 in the city at dusk",
        tr(
            "The Voltaro E5 parked on a city street at dusk",
            "Der Voltaro E5 in der Abenddämmerung an einer Straße in der Stadt",
            nb="Voltaro E5 parkert i en bygate i skumringen",
            zh="黄昏时停在城市街道上的 Voltaro E5",
            ar="سيارة Voltaro E5 متوقفة في أحد شوارع المدينة عند الغسق",
        ),
        size=(3000, 1688),
    ),
    "volt-e7": _media(
        "cars/e7-touring-coast.jpg",
        "E7 Touring on a coastal road",
        tr(
            "The E7 Touring with a roof box on a coastal road",
            "Der E7 Touring mit Dachbox auf einer Küstenstraße",
            nb="E7 Touring med takboks på en kystvei",
            zh="装有车顶箱、行驶在海岸公路上的 E7 Touring",
            ar="سيارة E7 تورينج مع صندوق سقف على طريق ساحلي",
        ),
        size=(3000, 1688),
        focal=(0.45, 0.55),
    ),
    "spring-ride": _media(
        "campaigns/spring-2026-river.jpg",
        "Spring 2026 campaign: riders by the river",
        tr(
            "Two riders on City One bikes along a river under blossoming trees",
            "Zwei Menschen auf City-One-Rädern an einem Fluss unter blühenden Bäumen",
            de_ch="Zwei Menschen auf City-One-Velos an einem Fluss unter "
            "blühenden Bäumen",
            nb="To syklister på City One langs en elv under blomstrende trær",
            zh="两位骑手骑着 City One 沿河穿过花开的树下",
            ar="شخصان على دراجتي سيتي ون بجانب نهر تحت أشجار مزهرة",
        ),
        size=(3200, 1800),
        focal=(0.35, 0.5),
    ),
    "workshop": _media(
        "service/mobile-workshop.jpg",
        "Mobile workshop",
        tr(
            "A Voltaro mechanic adjusting the brakes of an e-bike next to the "
            "service van",
            "Ein Voltaro-Mechaniker stellt neben dem Servicewagen die Bremsen eines "
            "E-Bikes ein",
            nb="En Voltaro-mekaniker justerer bremsene på en elsykkel ved servicebilen",
            zh="Voltaro 技师在服务车旁调整电动自行车的刹车",
            ar="فني من Voltaro يضبط فرامل دراجة كهربائية بجانب سيارة الخدمة",
        ),
    ),
    "cargo-family": _media(
        "stories/cargo-school-run.jpg",
        "School run by cargo bike",
        tr(
            "A parent riding a Cargo Max with two children in the box",
            "Ein Vater fährt ein Cargo Max mit zwei Kindern in der Box",
            nb="En forelder sykler en Cargo Max med to barn i kassen",
        ),
        focal=(0.5, 0.4),
    ),
    "commute": _media(
        "stories/commute-morning.jpg",
        "Morning commute",
        tr(
            "A commuter locking a City One outside an office building in the morning",
            "Eine Pendlerin schließt morgens ihr City One vor einem Bürogebäude an",
            nb="En pendler låser City One utenfor et kontorbygg om morgenen",
            zh="清晨，一位通勤者在办公楼外锁好 City One",
        ),
    ),
    "e5-charging": _media(
        "cars/e5-winter-charging.jpg",
        "E5 charging in winter",
        tr(
            "An E5 charging at a snowy fast-charging station",
            "Ein E5 lädt an einer verschneiten Schnellladestation",
            nb="En E5 lader på en snødekt hurtigladestasjon",
            zh="在白雪覆盖的快充站充电的 E5",
            ar="سيارة E5 تُشحن في محطة شحن سريع مغطاة بالثلج",
        ),
    ),
    "battery": _media(
        "guides/battery-removal.jpg",
        "Removing the battery",
        tr(
            "Hands sliding the battery out of a City One frame",
            "Hände ziehen den Akku aus dem Rahmen eines City One",
            nb="Hender som skyver batteriet ut av rammen på en City One",
            zh="双手将电池从 City One 车架中取出",
        ),
        size=(1600, 1600),
    ),
    "showroom": _media(
        "stores/berlin-studio.jpg",
        "The Berlin studio",
        tr(
            "The Voltaro studio in Berlin with e-bikes on the wall and an E5",
            "Das Voltaro-Studio in Berlin mit E-Bikes an der Wand und einem E5",
            nb="Voltaro-studioet i Berlin med elsykler på veggen og en E5",
            zh="Voltaro 柏林展厅，墙上挂着电动自行车，旁边停着一辆 E5",
        ),
    ),
    "app-pairing": _media(
        "app/pairing-screen.png",
        "App pairing screen",
        tr(
            "The pairing screen of the Voltaro app next to a City One display",
            "Der Kopplungsbildschirm der Voltaro-App neben dem Display eines City One",
            nb="Tilkoblingsskjermen i Voltaro-appen ved siden av skjermen på en "
            "City One",
            zh="Voltaro 应用的配对界面与 City One 仪表屏",
        ),
        size=(1200, 1200),
        mime_type="image/png",
    ),
}

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
