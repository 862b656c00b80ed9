// Reads an iCalendar file (or a JSON array of them) on stdin with ical.js (Thunderbird's parser) and prints its events as JSON:
// the calendar's own VTIMEZONEs are registered first, as calendar apps do, so DST rules come from the feed alone.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function read(text) {
const root = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const categories = component.getAllProperties("categories").flatMap((p) => p.getValues());
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    url: component.getFirstPropertyValue("url"),
    categories,
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    dtstamp: component.getFirstPropertyValue("dtstamp").toJSDate().toISOString(),
  };
});
const calname = root.getFirstPropertyValue("x-wr-calname");
return { calname, timezones: root.getAllSubcomponents("vtimezone").length, events };
}

// One calendar, or a JSON array of calendars (one node start for many feeds).
const input = readFileSync(0, "utf8");
const output = input.trimStart().startsWith("[") ? JSON.parse(input).map(read) : read(input);
process.stdout.write(JSON.stringify(output));
