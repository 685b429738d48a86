# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Ten offers, each pointing at its product article (``product``)."""

from __future__ import annotations

from typing import Any

from seed.data._articles import SITE
from seed.data._offer_copy import OFFER_COPY
from seed.data._text import Localised, tr


def offer(
    key: str,
    *,
    title: Localised,
    summary: Localised,
    cta_label: Localised,
    path: str,
    price: float,
    product: str,
    image: str,
    terms: list[str],
    original_price: float | None = None,
    discount: float | None = None,
    monthly: bool = False,
    hide_price: bool = False,
    valid_until: str | None = None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "cta_label": cta_label,
        "cta_url": f"{SITE}{path}",
        "price": price,
        "currency": "EUR",
        "price_period": "month" if monthly else "once",
        "image": f"@media:{image}",
        "product": f"@entry:article/{product}",
    }
    if original_price is not None:
        fields["original_price"] = original_price
    if discount is not None:
        fields["discount"] = discount
    if hide_price:
        fields["hide_price"] = True
    if valid_until is not None:
        fields["valid_until"] = valid_until
    return {"type": "offer", "key": key, "fields": fields, "terms": terms}


OFFERS: list[dict[str, Any]] = [
    # Personalised: see PERSONALIZATIONS (onboarding, premium, discount and
    # the spring-headline experiment).
    offer(
        "spring-city-one",
        title=tr(
            "Spring into the City One",
            "Mit dem City One in den Frühling",
            de_ch="Mit em City One in Früelig",
            nb="Sykle inn i våren med City One",
            zh="骑上 City One，拥抱春天",
            ar="استقبل الربيع مع سيتي ون",
        ),
        summary=tr(
            "Accessories worth €200 free with every City One ordered by 31 May: "
            "a lock, panniers and a rain cape.",
            "Zubehör im Wert von 200 € gratis zu jedem City One, bestellt bis "
            "31. Mai: Schloss, Packtaschen und Regencape.",
            nb="Tilbehør verdt 200 € på kjøpet når du bestiller City One innen "
            "31. mai: lås, sykkelvesker og regnponcho.",
            zh="5 月 31 日前订购 City One，即赠价值 200 欧元的配件：车锁、驮包和雨披。",
            ar="ملحقات بقيمة 200 يورو مجانًا مع كل سيتي ون تطلبها حتى 31 مايو: "
            "قفل وحقائب جانبية ومعطف مطر.",
        ),
        cta_label=tr(
            "Configure yours",
            "Jetzt konfigurieren",
            nb="Konfigurer din",
            zh="立即配置",
            ar="صمّم دراجتك",
        ),
        path="/e-bikes/city-one?offer=spring-2026",
        price=2799,
        valid_until="2026-05-31",
        product="city-one",
        image="city-one",
        terms=["topic:city", "journey_stage:consideration", "campaign:spring-2026"],
    ),
    offer(
        "e5-launch-lease",
        title=tr(
            "Drive the new E5 from €299 a month",
            "Fahren Sie den neuen E5 ab 299 € im Monat",
            nb="Kjør nye E5 fra 299 € i måneden",
            zh="新款 E5，月租 299 欧元起",
            ar="قد E5 الجديدة بـ 299 يورو شهريًا",
        ),
        summary=tr(
            "Lease the all-electric E5 for 36 months with servicing, insurance "
            "and a home wallbox included. 420 km of range (WLTP).",
            "Leasen Sie den vollelektrischen E5 für 36 Monate – inklusive "
            "Wartung, Versicherung und Wallbox für zu Hause. 420 km Reichweite "
            "(WLTP).",
            nb="Lei den helelektriske E5 i 36 måneder med service, forsikring og "
            "hjemmelader inkludert. 420 km rekkevidde (WLTP).",
            zh="全电动 E5 租期 36 个月，含保养、保险及家用壁挂充电桩。续航 420 "
            "公里（WLTP）。",
            ar="استأجر E5 الكهربائية بالكامل لمدة 36 شهرًا مع الصيانة والتأمين "
            "وشاحن منزلي. مدى يصل إلى 420 كم (WLTP).",
        ),
        cta_label=tr(
            "Calculate your rate",
            "Rate berechnen",
            nb="Beregn din pris",
            zh="计算月租",
            ar="احسب قسطك",
        ),
        path="/cars/e5/lease",
        price=299,
        monthly=True,
        valid_until="2026-06-30",
        product="volt-e5",
        image="volt-e5",
        terms=["topic:electric", "topic:financing", "journey_stage:purchase"],
    ),
    offer(
        "cargo-max-family-kit",
        title=tr(
            "Cargo Max: the family kit is on us",
            "Cargo Max: Das Familienpaket geht auf uns",
            nb="Cargo Max: familiepakken får du av oss",
            zh="Cargo Max：家庭套装免费送",
        ),
        summary=tr(
            "Order a Cargo Max this spring and get a second child seat, the rain "
            "cover and two helmets free, worth €390.",
            "Bestellen Sie diesen Frühling ein Cargo Max und erhalten Sie den "
            "zweiten Kindersitz, das Regenverdeck und zwei Helme gratis – im Wert "
            "von 390 €.",
            nb="Bestill en Cargo Max i vår og få et ekstra barnesete, regntrekket "
            "og to hjelmer gratis, til en verdi av 390 €.",
            zh="今春订购 Cargo Max，即可免费获赠第二个儿童座椅、防雨罩和两顶"
            "头盔，价值 390 欧元。",
        ),
        cta_label=tr(
            "Build your Cargo Max",
            "Cargo Max konfigurieren",
            nb="Bygg din Cargo Max",
            zh="配置您的 Cargo Max",
        ),
        path="/e-bikes/cargo-max?offer=family-kit",
        price=4990,
        valid_until="2026-05-31",
        product="cargo-max",
        image="cargo-family",
        terms=["topic:cargo", "journey_stage:consideration", "campaign:spring-2026"],
    ),
    offer(
        "trail-s-test-weekend",
        title=tr(
            "Ride the Trail S this weekend, free",
            "Trail S am Wochenende gratis testen",
            nb="Test Trail S gratis i helgen",
            zh="本周末免费试骑 Trail S",
        ),
        summary=tr(
            "Pick up a Trail S on Friday afternoon and bring it back on Monday "
            "morning. No deposit, no obligation, just you and the trails.",
            "Holen Sie ein Trail S am Freitagnachmittag ab und bringen Sie es am "
            "Montagmorgen zurück. Ohne Kaution, ohne Verpflichtung – nur Sie und "
            "die Trails.",
            nb="Hent en Trail S fredag ettermiddag og lever den tilbake mandag "
            "morgen. Uten depositum og uten forpliktelser – bare deg og stiene.",
        ),
        cta_label=tr(
            "Book your weekend",
            "Wochenende buchen",
            nb="Bestill helgen",
        ),
        path="/e-bikes/trail-s/test-weekend",
        price=3490,
        hide_price=True,
        valid_until="2026-06-28",
        product="trail-s",
        image="trail-s",
        terms=[
            "topic:e-bikes",
            "journey_stage:consideration",
            "campaign:summer-commute",
        ],
    ),
    offer(
        "e7-touring-reservation",
        title=tr(
            "Reserve your E7 Touring for €500",
            "Reservieren Sie Ihren E7 Touring für 500 €",
            nb="Reserver din E7 Touring for 500 €",
            zh="支付 500 欧元预订 E7 Touring",
            ar="احجز E7 تورينج مقابل 500 يورو",
        ),
        summary=tr(
            "First deliveries start in September. A fully refundable €500 "
            "deposit secures your place in the queue and your choice of colour.",
            "Die ersten Auslieferungen beginnen im September. Eine vollständig "
            "erstattbare Anzahlung von 500 € sichert Ihnen Ihren Platz in der "
            "Warteschlange und Ihre Wunschfarbe.",
            nb="De første leveransene starter i september. Et depositum på 500 €, "
            "som du får fullt refundert, sikrer plassen din i køen og fargen du "
            "ønsker.",
            zh="首批车辆将于九月交付。支付可全额退还的 500 欧元定金，即可锁定"
            "排队名额和心仪的颜色。",
            ar="تبدأ أولى عمليات التسليم في سبتمبر. عربون قابل للاسترداد بالكامل "
            "بقيمة 500 يورو يضمن لك مكانك في قائمة الانتظار واللون الذي تختاره.",
        ),
        cta_label=tr(
            "Reserve now",
            "Jetzt reservieren",
            nb="Reserver nå",
            zh="立即预订",
            ar="احجز الآن",
        ),
        path="/cars/e7-touring/reserve",
        price=500,
        hide_price=True,
        valid_until="2026-08-31",
        product="volt-e7-touring",
        image="volt-e7",
        terms=["topic:electric", "journey_stage:purchase"],
    ),
    offer(
        "black-week-city-one",
        title=tr(
            "Black Week: save €500 on the City One",
            "Black Week: 500 € sparen beim City One",
            nb="Black Week: spar 500 € på City One",
            zh="黑色购物周：City One 立省 500 欧元",
            ar="أسبوع الجمعة السوداء: وفّر 500 يورو على سيتي ون",
        ),
        summary=tr(
            "Seven days only and while stocks last, in every colour and frame size.",
            "Nur sieben Tage und nur, solange der Vorrat reicht – in allen "
            "Farben und Rahmengrößen.",
            nb="Bare i sju dager og så langt lageret rekker, i alle farger og "
            "rammestørrelser.",
            zh="仅限七天，售完即止，所有颜色和车架尺寸均可选。",
            ar="لمدة سبعة أيام فقط وحتى نفاد الكمية، بجميع الألوان ومقاسات الإطار.",
        ),
        cta_label=tr(
            "Get the deal",
            "Zum Deal",
            nb="Sikre deg tilbudet",
            zh="立即抢购",
            ar="احصل على العرض",
        ),
        path="/e-bikes/city-one?offer=black-week",
        price=2299,
        original_price=2799,
        valid_until="2026-11-30",
        product="city-one",
        image="city-one",
        terms=["topic:city", "journey_stage:purchase", "campaign:black-week"],
    ),
    offer(
        "e5-winter-package",
        title=tr(
            "Winter package for your E5: tyres, storage, check",
            "Winterpaket für Ihren E5: Reifen, Einlagerung, Check",
            nb="Vinterpakke for E5: dekk, dekkhotell og sjekk",
            zh="E5 冬季套餐：轮胎、存放与检查",
        ),
        summary=tr(
            "Winter tyres on alloy wheels, storage for your summer set and a "
            "battery health check, fitted at your door.",
            "Winterreifen auf Alufelgen, Einlagerung Ihrer Sommerräder und ein "
            "Akku-Check – montiert direkt vor Ihrer Haustür.",
            nb="Vinterdekk på lettmetallfelger, lagring av sommerhjulene og sjekk "
            "av batteriet – montert hjemme hos deg.",
        ),
        cta_label=tr(
            "Book a fitting",
            "Termin buchen",
            nb="Bestill time",
        ),
        path="/service/e5-winter-package",
        price=1190,
        original_price=1390,
        valid_until="2026-10-31",
        product="volt-e5",
        image="workshop",
        terms=[
            "topic:services",
            "topic:electric",
            "journey_stage:retention",
            "campaign:loyalty",
        ],
    ),
    offer(
        "cargo-max-business-lease",
        title=tr(
            "Cargo Max for your business from €89 a month",
            "Cargo Max für Ihr Unternehmen ab 89 € im Monat",
            nb="Cargo Max for bedriften fra 89 € i måneden",
        ),
        summary=tr(
            "Deliveries, tools, a market stall: lease a Cargo Max for 36 months "
            "with servicing and theft insurance included.",
            "Lieferungen, Werkzeug, Marktstand: Leasen Sie ein Cargo Max für 36 "
            "Monate – Wartung und Diebstahlversicherung inklusive.",
            nb="Leveranser, verktøy, torgbod: Lei en Cargo Max i 36 måneder med "
            "service og tyveriforsikring inkludert.",
        ),
        cta_label=tr(
            "Request a quote",
            "Angebot anfordern",
            nb="Be om tilbud",
        ),
        path="/business/cargo-max",
        price=89,
        monthly=True,
        product="cargo-max",
        image="cargo-max",
        terms=["topic:cargo", "topic:financing", "journey_stage:consideration"],
    ),
    offer(
        "city-one-anniversary-service",
        title=tr(
            "A free annual service for your City One",
            "Kostenlose Jahresinspektion für Ihr City One",
            nb="Gratis årsservice for din City One",
            zh="City One 免费年度保养",
            ar="صيانة سنوية مجانية لسيتي ون",
        ),
        summary=tr(
            "Thank you for riding with us for a year. Book your annual service "
            "by the end of the month and it's on us, new brake pads included.",
            "Danke, dass Sie seit einem Jahr mit uns fahren. Buchen Sie Ihre "
            "Jahresinspektion bis zum Monatsende – sie geht auf uns, neue "
            "Bremsbeläge inklusive.",
            nb="Takk for at du har syklet med oss i et år. Bestill årsservicen "
            "innen utgangen av måneden, så spanderer vi den, nye bremseklosser "
            "inkludert.",
            zh="感谢您一年来的陪伴。月底前预约年度保养即可免费享受，还包括更换"
            "新刹车片。",
            ar="شكرًا لأنك ترافقنا منذ عام. احجز صيانتك السنوية قبل نهاية الشهر "
            "وستكون على حسابنا، بما في ذلك وسادات فرامل جديدة.",
        ),
        cta_label=tr(
            "Book your service",
            "Inspektion buchen",
            nb="Bestill service",
            zh="预约保养",
            ar="احجز الصيانة",
        ),
        path="/service/book?offer=anniversary",
        price=0,
        original_price=149,
        product="city-one",
        image="workshop",
        terms=["topic:services", "journey_stage:retention", "campaign:loyalty"],
    ),
    offer(
        "e7-trade-in-bonus",
        title=tr(
            "A €3,000 trade-in bonus for your E7 Touring",
            "3.000 € Eintauschbonus für Ihren E7 Touring",
            nb="3 000 € i innbyttebonus på E7 Touring",
            zh="E7 Touring 置换补贴 3000 欧元",
        ),
        summary=tr(
            "We value your current car online in two minutes and add €3,000 on "
            "top. It's our way of saying welcome back.",
            "Wir bewerten Ihr aktuelles Auto online in zwei Minuten und legen "
            "3.000 € obendrauf. Willkommen zurück!",
            nb="Vi verdsetter bilen din på nett på to minutter og legger 3 000 € "
            "på toppen. Velkommen tilbake!",
            zh="两分钟在线评估您现有的车辆，另加 3000 欧元补贴。欢迎回来！",
        ),
        cta_label=tr(
            "Value my car",
            "Auto bewerten",
            nb="Verdsett bilen min",
            zh="评估我的车",
        ),
        path="/cars/e7-touring/trade-in",
        price=55900,
        original_price=58900,
        valid_until="2026-09-30",
        product="volt-e7-touring",
        image="volt-e7",
        terms=["topic:electric", "journey_stage:win-back"],
    ),
]

for _offer in OFFERS:
    _offer["fields"].update(OFFER_COPY.get(_offer["key"], {}))
