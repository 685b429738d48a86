# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Eight hero banners for the home page and the app."""

from __future__ import annotations

from typing import Any

from seed.data._articles import SITE
from seed.data._text import Localised, tr


def banner(
    key: str,
    *,
    headline: Localised,
    subline: Localised,
    cta_label: Localised,
    path: str,
    image: str,
    theme: str,
    terms: list[str],
    ends_on: str | None = None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "headline": headline,
        "subline": subline,
        "cta_label": cta_label,
        "cta_url": f"{SITE}{path}",
        "image": f"@media:{image}",
        "theme": theme,
    }
    if ends_on is not None:
        fields["ends_on"] = ends_on
    return {"type": "hero_banner", "key": key, "fields": fields, "terms": terms}


BANNERS: list[dict[str, Any]] = [
    # Personalised: the spring-hero-image experiment (see PERSONALIZATIONS).
    banner(
        "spring-hero",
        headline=tr(
            "Spring is here. So is the City One.",
            "Der Frühling ist da. Das City One auch.",
            de_ch="De Früelig isch da. S City One au.",
            nb="Våren er her. Det er City One også.",
            zh="春天来了，City One 也来了。",
            ar="الربيع هنا، وسيتي ون أيضًا.",
        ),
        subline=tr(
            "Accessories worth €200 free with every City One ordered by 31 May.",
            "Zubehör im Wert von 200 € gratis zu jedem City One, bestellt bis 31. Mai.",
            nb="Tilbehør verdt 200 € på kjøpet med hver City One bestilt innen "
            "31. mai.",
            zh="5 月 31 日前订购 City One，即赠价值 200 欧元的配件。",
            ar="ملحقات بقيمة 200 يورو مجانًا مع كل سيتي ون تطلبها حتى 31 مايو.",
        ),
        cta_label=tr(
            "Configure yours",
            "Jetzt konfigurieren",
            nb="Konfigurer din",
            zh="立即配置",
            ar="صمّم دراجتك",
        ),
        path="/e-bikes/city-one?offer=spring-2026",
        image="spring-ride",
        theme="light",
        ends_on="2026-05-31",
        terms=["topic:city", "journey_stage:awareness", "campaign:spring-2026"],
    ),
    banner(
        "e5-launch-hero",
        headline=tr(
            "The new E5. Simply electric.",
            "Der neue E5. Einfach elektrisch.",
            nb="Nye E5. Rett og slett elektrisk.",
            zh="全新 E5，纯粹电动。",
            ar="E5 الجديدة. كهربائية ببساطة.",
        ),
        subline=tr(
            "420 km of range, five seats, and leasing from €299 a month with a "
            "wallbox included.",
            "420 km Reichweite, fünf Sitze und Leasing ab 299 € im Monat "
            "inklusive Wallbox.",
            nb="420 km rekkevidde, fem seter og leasing fra 299 € i måneden med "
            "hjemmelader inkludert.",
            zh="续航 420 公里，五座空间，租赁月付 299 欧元起，含家用充电桩。",
            ar="مدى 420 كم وخمسة مقاعد، واستئجار ابتداءً من 299 يورو شهريًا "
            "مع شاحن منزلي.",
        ),
        cta_label=tr(
            "Book a test drive",
            "Probefahrt buchen",
            nb="Bestill prøvekjøring",
            zh="预约试驾",
            ar="احجز تجربة قيادة",
        ),
        path="/cars/e5/test-drive",
        image="volt-e5",
        theme="dark",
        terms=["topic:electric", "journey_stage:awareness"],
    ),
    banner(
        "cargo-family-hero",
        headline=tr(
            "More kids, fewer car keys.",
            "Mehr Kinder, weniger Autoschlüssel.",
            nb="Flere barn, færre bilnøkler.",
            zh="孩子更多，车钥匙更少。",
        ),
        subline=tr(
            "The Cargo Max carries two children and the weekly shop, and it "
            "parks anywhere.",
            "Das Cargo Max transportiert zwei Kinder und den Wocheneinkauf – und "
            "parkt überall.",
            nb="Cargo Max frakter to barn og ukehandelen – og kan parkeres hvor "
            "som helst.",
        ),
        cta_label=tr(
            "Meet the Cargo Max",
            "Cargo Max entdecken",
            nb="Bli kjent med Cargo Max",
        ),
        path="/e-bikes/cargo-max",
        image="cargo-family",
        theme="light",
        terms=["topic:cargo", "journey_stage:consideration"],
    ),
    banner(
        "summer-commute-hero",
        headline=tr(
            "Ride to work. Arrive awake.",
            "Mit dem Rad zur Arbeit. Hellwach ankommen.",
            de_ch="Mit dem Velo zur Arbeit. Hellwach ankommen.",
            nb="Sykle til jobben. Kom våken fram.",
            zh="骑车上班，元气满满。",
        ),
        subline=tr(
            "Join the Summer Commute challenge in June and July: log your rides "
            "in the app and win a year of free servicing.",
            "Machen Sie im Juni und Juli bei der Summer-Commute-Challenge mit: "
            "Fahrten in der App erfassen und ein Jahr kostenlose Wartung "
            "gewinnen.",
            nb="Bli med på Summer Commute-utfordringen i juni og juli: Registrer "
            "turene i appen og vinn et år med gratis service.",
            zh="6 月和 7 月参加夏季通勤挑战：在应用中记录骑行，赢取一年免费保养。",
        ),
        cta_label=tr(
            "Join the challenge",
            "Jetzt mitmachen",
            nb="Bli med",
            zh="立即参加",
        ),
        path="/summer-commute",
        image="commute",
        theme="light",
        ends_on="2026-07-31",
        terms=["topic:city", "journey_stage:awareness", "campaign:summer-commute"],
    ),
    banner(
        "black-week-hero",
        headline=tr(
            "Black Week: our best prices of the year",
            "Black Week: unsere besten Preise des Jahres",
            nb="Black Week: årets beste priser",
            zh="黑色购物周：全年最低价",
            ar="أسبوع الجمعة السوداء: أفضل أسعار العام",
        ),
        subline=tr(
            "Save up to €500 on e-bikes and get winter tyres free with every E5 "
            "ordered this week.",
            "Sparen Sie bis zu 500 € bei E-Bikes und erhalten Sie Winterreifen "
            "gratis zu jedem E5, der diese Woche bestellt wird.",
            nb="Spar opptil 500 € på elsykler og få vinterdekk gratis med hver "
            "E5 som bestilles denne uken.",
            zh="电动自行车最高立省 500 欧元，本周订购 E5 即送冬季轮胎。",
            ar="وفّر حتى 500 يورو على الدراجات الكهربائية، واحصل على إطارات "
            "شتوية مجانًا مع كل E5 تُطلب هذا الأسبوع.",
        ),
        cta_label=tr(
            "See all deals",
            "Alle Angebote ansehen",
            nb="Se alle tilbud",
            zh="查看全部优惠",
            ar="شاهد جميع العروض",
        ),
        path="/black-week",
        image="city-one",
        theme="dark",
        ends_on="2026-11-30",
        terms=["topic:models", "journey_stage:purchase", "campaign:black-week"],
    ),
    banner(
        "e7-touring-hero",
        headline=tr(
            "E7 Touring. Pack everything.",
            "E7 Touring. Alles einpacken.",
            nb="E7 Touring. Pakk med alt.",
            zh="E7 Touring，装下一切。",
        ),
        subline=tr(
            "620 litres of boot space, 560 km of range and charging at up to "
            "250 kW. Reservations are open.",
            "620 Liter Kofferraum, 560 km Reichweite und Laden mit bis zu "
            "250 kW. Jetzt reservieren.",
            nb="620 liter bagasjerom, 560 km rekkevidde og lading med opptil "
            "250 kW. Nå kan du reservere.",
        ),
        cta_label=tr(
            "Reserve now",
            "Jetzt reservieren",
            nb="Reserver nå",
            zh="立即预订",
        ),
        path="/cars/e7-touring",
        image="volt-e7",
        theme="dark",
        terms=["topic:electric", "journey_stage:consideration"],
    ),
    banner(
        "voltaro-care-hero",
        headline=tr(
            "We come to you.",
            "Wir kommen zu Ihnen.",
            nb="Vi kommer til deg.",
            zh="我们上门服务。",
            ar="نحن نأتي إليك.",
        ),
        subline=tr(
            "Voltaro Care: mobile mechanics for your e-bike and your car, "
            "booked in two taps.",
            "Voltaro Care: mobile Mechaniker für E-Bike und Auto, mit zwei "
            "Fingertipps gebucht.",
            nb="Voltaro Care: mobile mekanikere for elsykkelen og bilen din, "
            "bestilt med to trykk.",
            zh="Voltaro Care：电动自行车和汽车的移动技师，轻点两下即可预约。",
            ar="Voltaro Care: فنيون متنقلون لدراجتك وسيارتك، تحجزهم بلمستين.",
        ),
        cta_label=tr(
            "Book a service",
            "Service buchen",
            nb="Bestill service",
            zh="预约服务",
            ar="احجز صيانة",
        ),
        path="/service",
        image="workshop",
        theme="light",
        terms=["topic:services", "journey_stage:retention"],
    ),
    banner(
        "financing-hero",
        headline=tr(
            "Ride now, pay monthly.",
            "Jetzt fahren, monatlich zahlen.",
            nb="Kjør nå, betal månedlig.",
            zh="即刻出行，按月付款。",
        ),
        subline=tr(
            "Finance any Voltaro over 12 to 60 months, or lease it with "
            "servicing included.",
            "Finanzieren Sie jeden Voltaro über 12 bis 60 Monate – oder leasen "
            "Sie ihn inklusive Wartung.",
            nb="Finansier hvilken som helst Voltaro over 12 til 60 måneder, eller "
            "lei den med service inkludert.",
            zh="任意 Voltaro 车型均可选择 12 至 60 个月分期，或选择含保养的租赁方案。",
        ),
        cta_label=tr(
            "Compare options",
            "Optionen vergleichen",
            nb="Sammenlign alternativer",
            zh="比较方案",
        ),
        path="/financing",
        image="showroom",
        theme="light",
        terms=["topic:financing", "journey_stage:purchase"],
    ),
]
