"""What the 招商手册 prints about each site beside the catalogue's facts, read from the ledger:
what it misses for a 推介 (:func:`landbank.services.records.completeness.site_completeness`)
and its map excerpt and first photo (:mod:`.site_pictures`) — and :func:`catalogue_report`,
which reads them and builds the printout (the 报表 menu and ``landbank report catalogue``).

The images are resources of the printout named ``site://parcel/12/map`` and
``site://parcel/12/photo``; a site left out (资料不全, 不列入) gets none drawn."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QImage
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.identity import BureauIdentity
from landbank.services.quota.catalogue import Catalogue
from landbank.services.records.completeness import site_completeness
from landbank.ui.reports.catalogue_html import SiteDossier, SiteKey
from landbank.ui.reports.html_parts import Audience
from landbank.ui.reports.picture_row import MAP_CAPTION, PHOTO_CAPTION, PictureRef
from landbank.ui.reports.printouts import Printout, catalogue_printout
from landbank.ui.reports.site_pictures import site_pictures


def catalogue_dossiers(
    session: Session, cat: Catalogue, *, omit_incomplete: bool = False, pictures: bool = True
) -> tuple[dict[SiteKey, SiteDossier], dict[str, QImage]]:
    """Each site's dossier (missing items, pictures) and the images the pictures name."""
    keys = [(RecordKind.PARCEL, p.id) for p in cat.parcels]
    keys += [(RecordKind.FACTORY, f.id) for f in cat.factories]
    judged = {
        (kind, record_id): found
        for kind in (RecordKind.PARCEL, RecordKind.FACTORY)
        for record_id, found in site_completeness(
            session, kind, [i for k, i in keys if k is kind]
        ).items()
    }
    dossiers: dict[SiteKey, SiteDossier] = {}
    images: dict[str, QImage] = {}
    for kind, record_id in keys:
        found = judged.get((kind, record_id))
        missing = found.missing if found is not None else ()
        refs: list[PictureRef] = []
        if pictures and not (omit_incomplete and missing):
            drawn = site_pictures(session, kind, record_id)
            for name, picture, caption in (
                ("map", drawn.map, MAP_CAPTION),
                ("photo", drawn.photo, PHOTO_CAPTION),
            ):
                if picture is not None:
                    src = f"site://{kind.value}/{record_id}/{name}"
                    images[src] = picture.image
                    refs.append(PictureRef(src, picture.width, picture.height, caption))
        dossiers[(kind, record_id)] = SiteDossier(missing, tuple(refs))
    return dossiers, images


def catalogue_report(
    session: Session,
    cat: Catalogue,
    *,
    identity: BureauIdentity | None = None,
    printed: date | None = None,
    place: str | None = None,
    region: str | None = None,
    audience: Audience = Audience.INVESTOR,
    omit_incomplete: bool = False,
) -> Printout:
    """The 招商手册 of ``cat`` with each site's pictures and its 资料不全 mark — or without
    the incomplete sites (``omit_incomplete``)."""
    dossiers, images = catalogue_dossiers(session, cat, omit_incomplete=omit_incomplete)
    return catalogue_printout(
        cat,
        identity=identity,
        printed=printed,
        place=place,
        region=region,
        audience=audience,
        dossiers=dossiers,
        images=images,
        omit_incomplete=omit_incomplete,
    )
