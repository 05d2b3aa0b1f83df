"""Write a demo Gemeindeverzeichnis in the exact GV100AD fixed-width layout.

The real GV100AD may not be bundled, so the demo carries its own small register: Germany's
Land NRW, Regierungsbezirk Arnsberg, Kreis Siegen-Wittgenstein with its 11 Gemeinden (keys and
names as in the Destatis GV100AD of 30.11.2021), the other Regierungsbezirke and Kreise of NRW
and the other Länder (keys and names only).
"""

from __future__ import annotations

from pathlib import Path

LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}  # fmt: skip

# Regierungsbezirke and Kreise of NRW: key -> (name, Sitz[, Textkennzeichen]) (Destatis GV100AD, 30.11.2021)
REGBEZ_05 = {
    "051": ("Reg.-Bez. Düsseldorf", "Düsseldorf"),
    "053": ("Reg.-Bez. Köln", "Köln"),
    "055": ("Reg.-Bez. Münster", "Münster"),
    "057": ("Reg.-Bez. Detmold", "Detmold"),
    "059": ("Reg.-Bez. Arnsberg", "Arnsberg"),
}
KREISE_05 = {
    "05111": ("Düsseldorf, Stadt", "Düsseldorf", "41"),
    "05112": ("Duisburg, Stadt", "Duisburg", "41"),
    "05113": ("Essen, Stadt", "Essen", "41"),
    "05114": ("Krefeld, Stadt", "Krefeld", "41"),
    "05116": ("Mönchengladbach, Stadt", "Mönchengladbach", "41"),
    "05117": ("Mülheim an der Ruhr, Stadt", "Mülheim an der Ruhr", "41"),
    "05119": ("Oberhausen, Stadt", "Oberhausen", "41"),
    "05120": ("Remscheid, Stadt", "Remscheid", "41"),
    "05122": ("Solingen, Klingenstadt", "Solingen", "41"),
    "05124": ("Wuppertal, Stadt", "Wuppertal", "41"),
    "05154": ("Kleve", "Kleve", "43"),
    "05158": ("Mettmann", "Mettmann", "43"),
    "05162": ("Rhein-Kreis Neuss", "Neuss", "43"),
    "05166": ("Viersen", "Viersen", "43"),
    "05170": ("Wesel", "Wesel", "43"),
    "05314": ("Bonn, Stadt", "Bonn", "41"),
    "05315": ("Köln, Stadt", "Köln", "41"),
    "05316": ("Leverkusen, Stadt", "Leverkusen", "41"),
    "05334": ("Städteregion Aachen", "Aachen", "43"),
    "05358": ("Düren", "Düren", "43"),
    "05362": ("Rhein-Erft-Kreis", "Bergheim", "43"),
    "05366": ("Euskirchen", "Euskirchen", "43"),
    "05370": ("Heinsberg", "Heinsberg", "43"),
    "05374": ("Oberbergischer Kreis", "Gummersbach", "43"),
    "05378": ("Rheinisch-Bergischer Kreis", "Bergisch Gladbach", "43"),
    "05382": ("Rhein-Sieg-Kreis", "Siegburg", "43"),
    "05512": ("Bottrop, Stadt", "Bottrop", "41"),
    "05513": ("Gelsenkirchen, Stadt", "Gelsenkirchen", "41"),
    "05515": ("Münster, Stadt", "Münster", "41"),
    "05554": ("Borken", "Borken", "43"),
    "05558": ("Coesfeld", "Coesfeld", "43"),
    "05562": ("Recklinghausen", "Recklinghausen", "43"),
    "05566": ("Steinfurt", "Steinfurt", "43"),
    "05570": ("Warendorf", "Warendorf", "43"),
    "05711": ("Bielefeld, Stadt", "Bielefeld", "41"),
    "05754": ("Gütersloh", "Gütersloh", "43"),
    "05758": ("Herford", "Herford", "43"),
    "05762": ("Höxter", "Höxter", "43"),
    "05766": ("Lippe", "Detmold", "43"),
    "05770": ("Minden-Lübbecke", "Minden", "43"),
    "05774": ("Paderborn", "Paderborn", "43"),
    "05911": ("Bochum, Stadt", "Bochum", "41"),
    "05913": ("Dortmund, Stadt", "Dortmund", "41"),
    "05914": ("Hagen, Stadt der FernUniversität", "Hagen", "41"),
    "05915": ("Hamm, Stadt", "Hamm", "41"),
    "05916": ("Herne, Stadt", "Herne", "41"),
    "05954": ("Ennepe-Ruhr-Kreis", "Schwelm", "43"),
    "05958": ("Hochsauerlandkreis", "Meschede", "43"),
    "05962": ("Märkischer Kreis", "Lüdenscheid", "43"),
    "05966": ("Olpe", "Olpe", "43"),
    "05970": ("Siegen-Wittgenstein", "Siegen", "43"),
    "05974": ("Soest", "Soest", "43"),
    "05978": ("Unna", "Unna", "43"),
}

# Gemeinden of Kreis Siegen-Wittgenstein: AGS -> (name, Textkennzeichen 63 Stadt / 64 Gemeinde)
GEMEINDEN_05970 = {
    "05970004": ("Bad Berleburg, Stadt", "63"),
    "05970008": ("Burbach", "64"),
    "05970012": ("Erndtebrück", "64"),
    "05970016": ("Freudenberg, Stadt", "63"),
    "05970020": ("Hilchenbach, Stadt", "63"),
    "05970024": ("Kreuztal, Stadt", "63"),
    "05970028": ("Bad Laasphe, Stadt", "63"),
    "05970032": ("Netphen, Stadt", "63"),
    "05970036": ("Neunkirchen", "64"),
    "05970040": ("Siegen, Universitätsstadt", "63"),
    "05970044": ("Wilnsdorf", "64"),
}


def _record(
    satzart: str,
    stand: str,
    key: str,
    verband: str,
    name: str,
    sitz: str = "",
    text: str = "",
    figures: tuple[int, int, int] | None = None,
    plz: str = "",
) -> str:
    """One fixed-width line; positions as in the Destatis record layout (1-based, characters)."""
    line = f"{satzart}{stand}{key:<8}{verband:<4}{name:<50}{sitz:<50}{text:<2}    "
    if figures:
        area_ha, pop, male = figures
        line += f"{area_ha:011d}{pop:011d}{male:011d}    {plz:<5}"
    return line.ljust(220)  # real records are padded to 220 characters


def write_register(path: Path, stand: str, figures: dict[str, tuple[int, int, int]]) -> Path:
    """Write the demo register; `figures` maps each Gemeinde AGS to (area ha, population, male)."""
    lines = []
    for land, name in LAENDER.items():
        lines.append(_record("10", stand, land, "", name))
        if land != "05":
            continue
        # every Regierungsbezirk and Kreis of NRW, so that sums over children are known to
        # be incomplete where the demo has no data (NRW is never built from one Kreis)
        for rb, (rname, sitz) in REGBEZ_05.items():
            lines.append(_record("20", stand, rb, "", rname, sitz))
            for kreis, (kname, ksitz, text) in KREISE_05.items():
                if not kreis.startswith(rb):
                    continue
                lines.append(_record("40", stand, kreis, "", kname, ksitz, text))
                if kreis != "05970":
                    continue
                for ags, (gname, _) in GEMEINDEN_05970.items():
                    lines.append(_record("50", stand, "05970", "0" + ags[5:], gname, "", "50"))
                for ags, (gname, text) in GEMEINDEN_05970.items():
                    fig = figures[ags]
                    lines.append(_record("60", stand, ags, "0" + ags[5:], gname, "", text, fig))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path
