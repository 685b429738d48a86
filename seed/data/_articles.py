# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Twelve articles: five product pages (the offers point at them, so they
come first) here, guides and stories in ``_stories``."""

from __future__ import annotations

from typing import Any

from seed.data._text import Localised, paragraphs, tr

SITE = "https://voltaro.example"


def article(
    key: str,
    *,
    title: Localised,
    summary: Localised,
    body: Localised,
    path: str,
    minutes: int,
    published: str,
    image: str,
    terms: list[str],
    price_from: int | None = None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "body": body,
        "url": f"{SITE}{path}",
        "reading_minutes": minutes,
        "published_on": published,
        "hero_image": f"@media:{image}",
    }
    if price_from is not None:
        fields["price_from"] = price_from
        fields["currency"] = "EUR"
    return {"type": "article", "key": key, "fields": fields, "terms": terms}


PRODUCT_PAGES: list[dict[str, Any]] = [
    article(
        "city-one",
        title=tr(
            "City One: the e-bike made for the city",
            "City One: das E-Bike für die Stadt",
            de_ch="City One: das E-Bike für die Stadt",
            nb="City One: elsykkelen laget for byen",
            zh="City One：为城市而生的电动自行车",
            ar="سيتي ون: الدراجة الكهربائية المصممة للمدينة",
        ),
        summary=tr(
            "19 kg all in, a silent hub motor and 80 km of range: the City One "
            "gets you across town without breaking a sweat.",
            "Nur 19 kg leicht, ein leiser Nabenmotor und 80 km Reichweite: Mit "
            "dem City One kommen Sie entspannt durch die Stadt.",
            de_ch="Nur 19 kg leicht, ein leiser Nabenmotor und 80 km Reichweite: "
            "Mit dem City One kommen Sie entspannt durch die Stadt – ganz ohne "
            "Schweiss.",
            nb="Bare 19 kg, en stillegående navmotor og 80 km rekkevidde: City "
            "One tar deg gjennom byen uten at du blir svett.",
            zh="整车仅重 19 公斤，静音轮毂电机，续航 80 公里：City One 让您轻松"
            "穿梭城市，不再汗流浃背。",
            ar="وزنها 19 كغ فقط، ومحرك صامت في المحور، ومدى 80 كم: سيتي ون "
            "تأخذك عبر المدينة دون عناء.",
        ),
        body=tr(
            paragraphs(
                "We designed the City One for the trips that make up most of city "
                "life: the commute, the weekly shop, the evening across town. The "
                "belt drive never needs oiling, the integrated lights switch on by "
                "themselves at dusk, and the battery slides out so you can charge "
                "it at your desk.",
                "The motor assists you up to 25 km/h in three modes. In Eco, a "
                "full charge lasts up to 80 km; in Boost, steep bridges and "
                "headwinds stop being a topic.",
                "Every City One comes with two years of Voltaro Care: a free first "
                "service after 500 km and mobile mechanics who come to you.",
            ),
            paragraphs(
                "Wir haben das City One für die Wege gebaut, aus denen das Leben in "
                "der Stadt besteht: zur Arbeit, zum Wocheneinkauf, abends quer "
                "durch die Stadt. Der Riemenantrieb muss nie geölt werden, das "
                "integrierte Licht schaltet sich in der Dämmerung von selbst ein, "
                "und den Akku nehmen Sie zum Laden einfach mit ins Büro.",
                "Der Motor unterstützt Sie bis 25 km/h in drei Stufen. Im "
                "Eco-Modus reicht eine Akkuladung für bis zu 80 km, im "
                "Boost-Modus sind steile Brücken und Gegenwind kein Thema mehr.",
                "Zu jedem City One gehören zwei Jahre Voltaro Care: eine "
                "kostenlose Erstinspektion nach 500 km und mobile Mechaniker, die "
                "zu Ihnen kommen.",
            ),
            nb=paragraphs(
                "Vi har laget City One for turene som utgjør det meste av bylivet: "
                "til jobben, til ukehandelen, på tvers av byen om kvelden. "
                "Reimdriften trenger aldri olje, de integrerte lysene slår seg på "
                "av seg selv i skumringen, og batteriet kan tas ut, så du kan lade "
                "det ved pulten.",
                "Motoren gir assistanse opptil 25 km/t i tre nivåer. I Eco holder "
                "en full lading i opptil 80 km; i Boost er bratte broer og "
                "motvind ikke lenger noe tema.",
            ),
        ),
        path="/e-bikes/city-one",
        minutes=4,
        published="2026-02-16",
        image="city-one",
        terms=["topic:city", "journey_stage:consideration"],
        price_from=2799,
    ),
    article(
        "cargo-max",
        title=tr(
            "Cargo Max: room for two kids and the weekly shop",
            "Cargo Max: Platz für zwei Kinder und den Wocheneinkauf",
            nb="Cargo Max: plass til to barn og ukehandelen",
            zh="Cargo Max：两个孩子和一周的采购都装得下",
        ),
        summary=tr(
            "A low front box with seat belts and a rain cover, 100 kg of payload "
            "and a mid-drive motor that pulls it all uphill with ease.",
            "Eine tiefe Frontbox mit Gurten und Regenverdeck, 100 kg Zuladung und "
            "ein Mittelmotor, der alles mühelos den Berg hinaufzieht.",
            nb="En lav lasteboks foran med setebelter og regntrekk, 100 kg "
            "lastekapasitet og en midtmotor som drar alt lett opp bakkene.",
            zh="低重心前置货箱配有安全带和防雨罩，载重 100 公斤，中置电机带您"
            "轻松上坡。",
        ),
        body=tr(
            paragraphs(
                "For many families, the Cargo Max replaces the second car. The "
                "front box is made from recycled polypropylene, seats two "
                "children side by side and folds flat when you need room for "
                "crates instead.",
                "A 750 Wh battery gives you up to 70 km with a full load. "
                "Hydraulic disc brakes and a wide, stable stand keep stopping and "
                "loading calm, even on a busy street.",
            ),
            paragraphs(
                "Für viele Familien ersetzt das Cargo Max das Zweitauto. Die "
                "Frontbox aus recyceltem Polypropylen bietet zwei Kindern "
                "nebeneinander Platz und lässt sich flach umbauen, wenn "
                "stattdessen Getränkekisten mitmüssen.",
                "Der 750-Wh-Akku reicht voll beladen für bis zu 70 km. Hydraulische "
                "Scheibenbremsen und ein breiter, stabiler Ständer sorgen dafür, "
                "dass Bremsen und Beladen auch an einer belebten Straße entspannt "
                "bleiben.",
            ),
            zh=paragraphs(
                "对许多家庭来说，Cargo Max 可以替代家里的第二辆车。前置货箱采用"
                "再生聚丙烯制成，可并排乘坐两个孩子；需要装箱子时还能折平。",
                "750 瓦时电池在满载时续航可达 70 公里。液压碟刹和宽大稳固的脚撑，"
                "让您即使在繁忙的街道上也能从容停车和装卸。",
            ),
        ),
        path="/e-bikes/cargo-max",
        minutes=5,
        published="2026-01-20",
        image="cargo-max",
        terms=["topic:cargo", "journey_stage:consideration"],
        price_from=4990,
    ),
    article(
        "trail-s",
        title=tr(
            "Trail S: light enough to carry, strong enough to climb",
            "Trail S: leicht zu tragen, stark am Berg",
            nb="Trail S: lett å bære, sterk i motbakke",
            zh="Trail S：轻到能扛起，强到能爬坡",
        ),
        summary=tr(
            "Our lightest e-bike weighs 16 kg and hides its battery in the down "
            "tube. Made for gravel roads, forest trails and weekend escapes.",
            "Unser leichtestes E-Bike wiegt 16 kg und versteckt den Akku im "
            "Unterrohr. Gemacht für Schotterwege, Waldpfade und Wochenendausflüge.",
            nb="Vår letteste elsykkel veier 16 kg og skjuler batteriet i "
            "underrøret. Laget for grusveier, skogsstier og helgeturer.",
        ),
        body=tr(
            paragraphs(
                "The Trail S pairs a compact mid-drive motor with a 12-speed "
                "drivetrain, so it still rides like a bike when the assistance is "
                "off. Tubeless tyres, a 100 mm suspension fork and a dropper post "
                "make rough ground feel smooth.",
                "A full charge takes about three hours and lasts up to 90 km in "
                "Eco mode.",
            ),
            paragraphs(
                "Das Trail S kombiniert einen kompakten Mittelmotor mit einer "
                "12-Gang-Schaltung – so fährt es sich auch ohne Unterstützung wie "
                "ein richtiges Fahrrad. Schlauchlose Reifen, eine Federgabel mit "
                "100 mm Federweg und eine absenkbare Sattelstütze glätten jeden "
                "Untergrund.",
                "Eine volle Ladung dauert etwa drei Stunden und reicht im "
                "Eco-Modus für bis zu 90 km.",
            ),
        ),
        path="/e-bikes/trail-s",
        minutes=3,
        published="2026-03-02",
        image="trail-s",
        terms=["topic:e-bikes", "journey_stage:awareness"],
        price_from=3490,
    ),
    article(
        "volt-e5",
        title=tr(
            "E5: the compact electric car with 420 km of range",
            "E5: das kompakte Elektroauto mit 420 km Reichweite",
            nb="E5: den kompakte elbilen med 420 km rekkevidde",
            zh="E5：续航 420 公里的紧凑型电动车",
            ar="E5: سيارة كهربائية مدمجة بمدى 420 كم",
        ),
        summary=tr(
            "Five seats, a 380-litre boot and fast charging from 10 to 80% in 28 "
            "minutes. The E5 makes the switch to electric easy.",
            "Fünf Sitze, 380 Liter Kofferraum und Schnellladen von 10 auf 80 % in "
            "28 Minuten: Mit dem E5 gelingt der Umstieg auf elektrisch ganz leicht.",
            nb="Fem seter, 380 liter bagasjerom og hurtiglading fra 10 til 80 % "
            "på 28 minutter. Med E5 er det enkelt å bytte til elbil.",
            zh="五座布局、380 升后备箱，28 分钟即可从 10% 快充至 80%。E5 让您"
            "轻松迈入电动出行。",
            ar="خمسة مقاعد وصندوق أمتعة بسعة 380 لترًا وشحن سريع من 10 إلى 80٪ "
            "في 28 دقيقة. مع E5 يصبح الانتقال إلى السيارة الكهربائية سهلًا.",
        ),
        body=tr(
            paragraphs(
                "The E5 is built on our own 400-volt platform with a 64 kWh "
                "battery under the floor. That keeps the centre of gravity low "
                "and leaves room for five adults and a proper boot.",
                "A heat pump and battery preconditioning are standard, so range "
                "stays predictable in winter. With the Voltaro app you plan trips "
                "with charging stops, charge at off-peak times and warm up the "
                "cabin before you leave.",
            ),
            paragraphs(
                "Der E5 basiert auf unserer eigenen 400-Volt-Plattform mit einem "
                "64-kWh-Akku im Unterboden. Das hält den Schwerpunkt niedrig und "
                "lässt Platz für fünf Erwachsene und einen richtigen Kofferraum.",
                "Wärmepumpe und Akku-Vorkonditionierung sind serienmäßig, damit "
                "die Reichweite auch im Winter planbar bleibt. Mit der "
                "Voltaro-App planen Sie Routen mit Ladestopps, laden zu günstigen "
                "Nachtzeiten und wärmen den Innenraum vor, bevor Sie losfahren.",
            ),
            nb=paragraphs(
                "E5 er bygget på vår egen 400-volts plattform med et batteri på "
                "64 kWh i gulvet. Det gir lavt tyngdepunkt og plass til fem "
                "voksne og et skikkelig bagasjerom.",
                "Varmepumpe og forvarming av batteriet er standard, så "
                "rekkevidden er forutsigbar også om vinteren. I Voltaro-appen "
                "planlegger du turer med ladestopp, lader når strømmen er "
                "billigst og varmer opp kupeen før du drar.",
            ),
            zh=paragraphs(
                "E5 基于我们自主研发的 400 伏平台打造，64 千瓦时电池组布置在车身"
                "底部。这让重心更低，也为五位成年人和宽敞的后备箱留出了空间。",
                "热泵空调和电池预热均为标配，冬季续航依然可以预期。通过 Voltaro "
                "应用，您可以规划含充电站的路线、在低谷时段充电，并在出发前预热"
                "车内。",
            ),
            ar=paragraphs(
                "بُنيت E5 على منصتنا الخاصة بجهد 400 فولت مع بطارية بسعة 64 "
                "كيلوواط ساعة أسفل الأرضية، ما يُبقي مركز الثقل منخفضًا ويترك "
                "مساحة لخمسة بالغين وصندوق أمتعة واسع.",
                "المضخة الحرارية والتهيئة المسبقة للبطارية من التجهيزات "
                "القياسية، لذلك يبقى المدى متوقعًا في الشتاء أيضًا.",
            ),
        ),
        path="/cars/e5",
        minutes=6,
        published="2026-03-10",
        image="volt-e5",
        terms=["topic:electric", "journey_stage:consideration"],
        price_from=34900,
    ),
    article(
        "volt-e7-touring",
        title=tr(
            "E7 Touring: room for everything, 560 km per charge",
            "E7 Touring: Platz für alles, 560 km pro Ladung",
            nb="E7 Touring: plass til alt, 560 km per lading",
            zh="E7 Touring：空间充裕，单次充电续航 560 公里",
            ar="E7 تورينج: مساحة لكل شيء و560 كم بشحنة واحدة",
        ),
        summary=tr(
            "Our electric estate seats five, tows 1,600 kg and charges at up to "
            "250 kW, so long holidays need only short breaks.",
            "Unser elektrischer Kombi bietet fünf Sitzplätze, zieht 1.600 kg und "
            "lädt mit bis zu 250 kW – lange Urlaubsfahrten brauchen nur kurze "
            "Pausen.",
            nb="Vår elektriske stasjonsvogn har fem seter, trekker 1 600 kg og "
            "lader med opptil 250 kW, så lange ferieturer trenger bare korte "
            "pauser.",
            zh="我们的电动旅行车拥有五个座位，可拖挂 1600 公斤，最高支持 250 "
            "千瓦快充，长途度假只需短暂停留。",
        ),
        body=tr(
            paragraphs(
                "The E7 Touring uses our 800-volt platform: at a fast charger it "
                "adds 300 km of range in about a quarter of an hour. The boot "
                "holds 620 litres, or 1,700 with the rear seats folded, and the "
                "tow bar folds away electrically.",
                "Adaptive cruise control, a head-up display and seats that stay "
                "comfortable after five hours on the motorway come as standard.",
            ),
            paragraphs(
                "Der E7 Touring nutzt unsere 800-Volt-Plattform: Am Schnelllader "
                "gewinnt er in etwa einer Viertelstunde 300 km Reichweite. Der "
                "Kofferraum fasst 620 Liter, mit umgeklappter Rückbank 1.700, und "
                "die Anhängerkupplung klappt elektrisch weg.",
                "Abstandsregeltempomat, Head-up-Display und Sitze, die auch nach "
                "fünf Stunden Autobahn noch bequem sind, gehören zur "
                "Serienausstattung.",
            ),
        ),
        path="/cars/e7-touring",
        minutes=5,
        published="2026-03-24",
        image="volt-e7",
        terms=["topic:electric", "journey_stage:awareness"],
        price_from=58900,
    ),
]
