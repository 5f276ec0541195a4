"""The small map of one idea (its public page: the point rounded, as on every public map) and of one idea
or piece of feedback on its moderation page (the point as chosen: the district's moderators may see it)."""
from __future__ import annotations

from app.core.i18n import gettext as _
from app.places import picking
from app.places.maps import PageMap, Pin, idea_pins, numbered, outline, picker_data
from app.places.svgmap import MapDrawing, draw_map


def idea_map(idea) -> PageMap | None:
    pins = numbered(idea_pins([idea]))
    if not pins:
        return None
    return PageMap("idea-map", _("Where the idea is"),
                   _("The outline of %(district)s with the idea's place, shown to about 50 metres.",
                     district=idea.district.name), [idea.district], pins, current=idea.district)


class ItemMap(PageMap):
    """One item's point, named by its street alone (a list of one needs no "(idea)" after it)."""

    def drawing(self) -> MapDrawing:
        return draw_map(self.id, self.title, self.description, self.districts,
                        [(p.number, p.lat, p.lon, p.label, p.href, "") for p in self.pins], self.current)


def moderation_map(item) -> PageMap | None:
    if getattr(item, "location_lat", None) is None or getattr(item, "location_lon", None) is None:
        return None
    label = item.location_label or _("The point chosen on the map")
    return ItemMap("item-map", _("Where it is about"),
                   _("The outline of %(district)s with the place the resident chose.", district=item.district.name),
                   [item.district], [Pin(1, item.location_lat, item.location_lon,
                                         "idea" if item.kind == "idea" else "place", label, "")],
                   current=item.district)


def picker(districts, form) -> dict:
    """What pick-point.js needs for a form's map (``places/_pick.html``): the tiles and texts, each district's
    outline with its slug (so the map can show the district chosen), and the point chosen so far."""
    data = picker_data([], _("Map for choosing the place"))
    shaped = [(d.slug, shape) for d in districts if (shape := outline(d)) is not None]
    point = picking.point_of(form)
    data.update(outlines=[shape for _slug, shape in shaped], slugs=[slug for slug, _shape in shaped],
                point=list(point) if point else None)
    data["text"].update(
        pick=_("Or tap the map where it is. With a keyboard: move the map with the arrow keys and press Enter "
               "to put the point in its middle."),
        chosen=_("You have chosen a place on the map."), remove=_("Remove the place"),
        removed=_("The place is removed."),
        # The picker has no numbered pins or list: without tiles the outline and the field above are the way.
        noTiles=_("The map could not be loaded. Type a street or place in the field above instead."))
    return data
