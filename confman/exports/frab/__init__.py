"""The frab/c3voc schedule format read by conference apps: the export of the published agenda, and the import of a
`schedule.xml` or `schedule.json` into an event, for organizers coming from pretalx or frab (all or nothing)."""

from confman.exports.frab.export import schedule_json, schedule_xml
from confman.exports.frab.importing import EventHasSessions, InvalidEventSlug, import_schedule
from confman.exports.frab.parsing import ImportedSchedule, ImportReport, MalformedSchedule, parse_schedule
