"""Fabrique de classeurs hostiles ou abîmés, tous générés ici depuis un classeur valide.

Les défauts qui ne passent pas par openpyxl (archive, parties XML, sommes de contrôle, taille
déclarée, OLE) sont écrits octet par octet : aucun fichier binaire de test n'est versionné.
"""

from __future__ import annotations

import io
import random
import re
import struct
import warnings
import zipfile


def lire_parties(octets: bytes) -> dict[str, bytes]:
    """Parties d'une archive, dans l'ordre."""
    with zipfile.ZipFile(io.BytesIO(octets)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def ecrire_parties(parties: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    """Archive zip (deflate) de ces parties (une liste admet des noms en double)."""
    tampon = io.BytesIO()
    elements = parties.items() if isinstance(parties, dict) else parties
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # noms en double voulus
        for nom, contenu in elements:
            z.writestr(nom, contenu)
    return tampon.getvalue()


def partie_feuille(parties: dict[str, bytes], feuille: str) -> str:
    """Partie XML de la feuille ``feuille`` (d'après workbook.xml et ses relations)."""
    classeur = parties["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet[^>]*name="{feuille}"[^>]*r:id="([^"]+)"', classeur)[1]
    rels = parties["xl/_rels/workbook.xml.rels"].decode()
    cible = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    cible = cible or re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return cible[1].lstrip("/") if cible[1].startswith("/") else "xl/" + cible[1]


def remplacer_cellule(octets: bytes, feuille: str, ref: str, xml: str) -> bytes:
    """Remplace l'élément ``<c r="ref">`` d'une feuille par ``xml``."""
    parties = lire_parties(octets)
    nom = partie_feuille(parties, feuille)
    texte = parties[nom].decode()
    texte, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, texte, count=1)
    assert n == 1, f"cellule {ref} introuvable dans {nom}"
    parties[nom] = texte.encode()
    return ecrire_parties(parties)


def modifier_feuille(octets: bytes, feuille: str, fonction) -> bytes:
    """Applique ``fonction(texte XML) -> texte`` à la partie d'une feuille."""
    parties = lire_parties(octets)
    nom = partie_feuille(parties, feuille)
    parties[nom] = fonction(parties[nom].decode()).encode()
    return ecrire_parties(parties)


def ajouter_parties(octets: bytes, ajouts: dict[str, bytes]) -> bytes:
    return ecrire_parties({**lire_parties(octets), **ajouts})


def retirer_partie(octets: bytes, nom: str) -> bytes:
    parties = lire_parties(octets)
    del parties[nom]
    return ecrire_parties(parties)


def _entree_centrale(octets: bytes, nom: str) -> int:
    """Position de l'entrée du répertoire central de ``nom``."""
    pos = octets.find(b"PK\x01\x02")
    while pos != -1:
        longueur = struct.unpack_from("<H", octets, pos + 28)[0]
        if octets[pos + 46: pos + 46 + longueur] == nom.encode():
            return pos
        pos = octets.find(b"PK\x01\x02", pos + 4)
    raise KeyError(nom)


def fausser_entete(octets: bytes, nom: str, *, crc: int | None = None,
                   taille: int | None = None, drapeaux: int | None = None) -> bytes:
    """Réécrit la somme de contrôle, la taille décompressée ou les drapeaux déclarés d'une
    partie dans le répertoire central (ce que lit ``zipfile``)."""
    tampon = bytearray(octets)
    pos = _entree_centrale(octets, nom)
    if drapeaux is not None:
        struct.pack_into("<H", tampon, pos + 8, drapeaux)
    if crc is not None:
        struct.pack_into("<I", tampon, pos + 16, crc)
    if taille is not None:
        struct.pack_into("<I", tampon, pos + 24, taille)
    return bytes(tampon)


def ole(flux: str) -> bytes:
    """Début d'un fichier OLE/CFB (signature, puis un nom de flux en UTF-16)."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + flux.encode("utf-16-le")
            + bytes(1024))


def bombe(octets: bytes, feuille: str, taille: int) -> bytes:
    """Gonfle la partie d'une feuille à exactement ``taille`` octets (des espaces, compressés en
    quelques dizaines de Kio)."""
    def gonfler(texte: str) -> str:
        return texte.replace("<sheetData>", "<sheetData>" + " " * (taille - len(texte.encode())),
                             1)
    return modifier_feuille(octets, feuille, gonfler)


def en_textes_partages(octets: bytes) -> bytes:
    """Réécrit les textes en ligne (openpyxl) en textes partagés, comme Excel les enregistre."""
    parties = lire_parties(octets)
    textes: list[str] = []
    index: dict[str, int] = {}

    def partager(m: re.Match) -> str:
        texte = m[2]
        if texte not in index:
            index[texte] = len(textes)
            textes.append(texte)
        return f'<c r="{m[1]}" t="s"><v>{index[texte]}</v></c>'

    for nom in [n for n in parties if n.startswith("xl/worksheets/sheet")]:
        parties[nom] = re.sub(r'<c r="([A-Z]+[0-9]+)"[^>]*t="inlineStr"[^>]*><is><t[^>]*>(.*?)'
                              r"</t></is></c>", partager, parties[nom].decode()).encode()
    sst = "".join(f"<si><t>{t}</t></si>" for t in textes)
    parties["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(textes)}" uniqueCount="{len(textes)}">{sst}</sst>').encode()
    parties["xl/_rels/workbook.xml.rels"] = parties["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    parties["[Content_Types].xml"] = parties["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return ecrire_parties(parties)


#: fragments injectés dans les parties XML par :func:`alterer`
FRAGMENTS = [b"<", b">", b'"', b'r="', b"XFD9", b"", b't="s"', b'<c r="A1">', b"</row>",
             b"9999999999", b'<c r="ZZ1"><v>1</v></c>', b'<row r="1048576">', b' r="A1048576"',
             b' s="99999"', b' t="e"', b' t="d"', b"<f>1</f>", b'<c r="C99999"><v>2</v></c>']


def alterer(octets: bytes, graine: int) -> bytes:
    """Classeur abîmé au hasard (graine fixe) : octets de l'archive changés, ou fragments XML
    insérés dans une partie puis archive réécrite."""
    rng = random.Random(graine)
    if graine % 2:
        tampon = bytearray(octets)
        for _ in range(rng.randint(1, 5)):
            tampon[rng.randrange(len(tampon))] = rng.randrange(256)
        return bytes(tampon)
    parties = lire_parties(octets)
    nom = rng.choice([n for n in parties if n.endswith((".xml", ".rels"))])
    texte = bytearray(parties[nom])
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(texte))
        texte[pos:pos + rng.randint(0, 3)] = rng.choice(FRAGMENTS)
    parties[nom] = bytes(texte)
    return ecrire_parties(parties)
