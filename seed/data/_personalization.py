# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Variants and rules of the two personalised entries.

The spring offer's rules run in order and the first match wins:

1. ``purchasers-get-onboarding``: customers who bought already get help with
   their City One, never a discount (even with a stale cart);
2. ``vip-private-preview``: VIPs get a private preview;
3. ``cart-abandoners-discount``: cart abandoners get 15 % off;
4. ``spring-headline-test``: everyone else may enter a seeded 50/50 headline
   experiment.

Both spring experiments live in the namespace ``spring-2026`` with
complementary ranges, so no customer is in both.
"""

from __future__ import annotations

from typing import Any

from seed.data._text import tr

NAMESPACE = "spring-2026"

# Variant titles carry de-CH as well: a variant is merged into the entry per
# locale, so without it Swiss customers would keep the entry's de-CH title.
SPRING_CITY_ONE: dict[str, Any] = {
    "variants": {
        "onboarding": {
            "description": "For customers who already bought: help instead of a "
            "sales pitch.",
            "fields": {
                "title": tr(
                    "Make the most of your City One",
                    "Holen Sie das Beste aus Ihrem City One heraus",
                    de_ch="Holen Sie das Beste aus Ihrem City One heraus",
                    nb="Få mest mulig ut av din City One",
                    zh="充分享受您的 City One",
                    ar="استفد إلى أقصى حد من سيتي ون",
                ),
                "summary": tr(
                    "Your first service is on us: book it in the app after "
                    "500 km, and our mechanics come to your door.",
                    "Ihre erste Inspektion geht auf uns: Buchen Sie sie nach "
                    "500 km in der App – unsere Mechaniker kommen zu Ihnen.",
                    nb="Den første servicen spanderer vi: Bestill den i appen "
                    "etter 500 km, så kommer mekanikerne våre hjem til deg.",
                    zh="首次保养由我们承担：骑行 500 公里后在应用中预约，技师将"
                    "上门服务。",
                    ar="صيانتك الأولى على حسابنا: احجزها في التطبيق بعد 500 كم، "
                    "وسيأتيك فنيونا إلى باب منزلك.",
                ),
                "cta_label": tr(
                    "Open the rider guide",
                    "Zum Fahrer-Guide",
                    nb="Åpne sykkelguiden",
                    zh="打开骑行指南",
                    ar="افتح دليل الدراجة",
                ),
                "cta_url": "https://voltaro.example/city-one/guide",
                "hide_price": True,
            },
        },
        "premium": {
            "description": "For VIPs: a private test ride instead of a discount.",
            "fields": {
                "title": tr(
                    "Your private preview of the City One",
                    "Ihre private Vorschau auf das City One",
                    de_ch="Ihre private Vorschau auf das City One",
                    nb="Din private forhåndsvisning av City One",
                    zh="City One 专属私享预览",
                    ar="معاينتك الخاصة لسيتي ون",
                ),
                "summary": tr(
                    "Ride the new City One before anyone else: a product "
                    "specialist brings it to you for a private test ride, "
                    "wherever suits you.",
                    "Fahren Sie das neue City One vor allen anderen: Ein "
                    "Produktexperte bringt es zu einer privaten Probefahrt zu "
                    "Ihnen, wo immer es Ihnen passt.",
                    nb="Prøv nye City One før alle andre: En produktspesialist "
                    "tar den med til deg for en privat prøvetur, der det passer "
                    "deg.",
                    zh="抢先体验全新 City One：产品专家将把车送到您指定的地点，"
                    "为您安排专属试骑。",
                    ar="جرّب سيتي ون الجديدة قبل الجميع: يحضرها لك أحد خبرائنا "
                    "لتجربة قيادة خاصة في المكان الذي يناسبك.",
                ),
                "cta_label": tr(
                    "Book your preview",
                    "Vorschau buchen",
                    nb="Bestill visningen",
                    zh="预约私享试骑",
                    ar="احجز معاينتك",
                ),
                "cta_url": "https://voltaro.example/city-one/private-preview",
            },
        },
        "discount": {
            "description": "For cart abandoners: 15 % off.",
            "fields": {
                "title": tr(
                    "Your City One is waiting: 15 % off",
                    "Ihr City One wartet: 15 % Rabatt",
                    de_ch="Ihr City One wartet: 15 % Rabatt",
                    nb="City One venter på deg: 15 % rabatt",
                    zh="您的 City One 还在等您：立减 15%",
                    ar="سيتي ون بانتظارك: خصم 15٪",
                ),
                "summary": tr(
                    "It's still in your basket. Complete your order now and "
                    "we'll deliver it ready to ride, accessories included.",
                    "Es liegt noch in Ihrem Warenkorb. Schließen Sie Ihre "
                    "Bestellung jetzt ab, und wir liefern es fahrbereit – "
                    "Zubehör inklusive.",
                    de_ch="Es liegt noch in Ihrem Warenkorb. Schliessen Sie Ihre "
                    "Bestellung jetzt ab, und wir liefern es fahrbereit – "
                    "Zubehör inklusive.",
                    nb="Den ligger fortsatt i handlekurven din. Fullfør "
                    "bestillingen nå, så leverer vi den klar til bruk, "
                    "tilbehør inkludert.",
                    zh="它还在您的购物车里。现在完成订单，我们将为您送上即骑即走"
                    "的新车，配件一并附送。",
                    ar="ما زالت في سلة التسوق. أكمل طلبك الآن وسنوصلها إليك "
                    "جاهزة للقيادة مع الملحقات.",
                ),
                "cta_label": tr(
                    "Complete my order",
                    "Bestellung abschließen",
                    de_ch="Bestellung abschliessen",
                    nb="Fullfør bestillingen",
                    zh="完成订单",
                    ar="أكمل طلبي",
                ),
                "cta_url": "https://voltaro.example/cart?offer=spring-15",
                "price": 2379,
                "original_price": 2799,
                "discount": 0.15,
            },
        },
        "headline_b": {
            "description": "spring-headline experiment: lead with the range.",
            "fields": {
                "title": tr(
                    "80 km of spring",
                    "80 km Frühling",
                    de_ch="80 km Früelig",
                    nb="80 km med vårfølelse",
                    zh="80 公里的春天",
                    ar="80 كم من الربيع",
                ),
            },
        },
    },
    "rules": [
        {
            "type": "personalise",
            "id": "purchasers-get-onboarding",
            "audiences": ["purchaser"],
            "variant": "onboarding",
        },
        {
            "type": "personalise",
            "id": "vip-private-preview",
            "audiences": ["vip"],
            "variant": "premium",
        },
        {
            "type": "personalise",
            "id": "cart-abandoners-discount",
            "audiences": ["cart_abandoner"],
            "variant": "discount",
        },
        {
            "type": "experiment",
            "id": "spring-headline-test",
            "key": "spring-headline",
            "name": "Spring offer headline",
            "variations": ["default", "headline_b"],
            "weights": [0.5, 0.5],
            "seed": "spring-headline-2026",
            "namespace": [NAMESPACE, 0.0, 0.5],
        },
    ],
}

# The loader resolves ``@media:`` only in entry fields, so the image test
# varies the banner's treatment (dark theme) rather than the media record.
SPRING_HERO: dict[str, Any] = {
    "variants": {
        "dark": {
            "description": "spring-hero-image experiment: the photo on a dark "
            "panel with white type.",
            "fields": {"theme": "dark"},
        },
    },
    "rules": [
        {
            "type": "experiment",
            "id": "spring-hero-image-test",
            "key": "spring-hero-image",
            "name": "Spring hero image treatment",
            "variations": ["default", "dark"],
            "weights": [0.5, 0.5],
            "seed": "spring-hero-image-2026",
            "namespace": [NAMESPACE, 0.5, 1.0],
        },
    ],
}

PERSONALIZATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("offer", "spring-city-one"): SPRING_CITY_ONE,
    ("hero_banner", "spring-hero"): SPRING_HERO,
}
