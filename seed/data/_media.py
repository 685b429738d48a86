# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""The demo's media records: URLs, sizes, focal points and localised alt
texts, by slug (``"@media:<slug>"`` in a field)."""

from __future__ import annotations

from typing import Any

from seed.data._text import tr

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
