/**
 * Lookup tables behind `assertTimeZone`'s error messages: which IANA region zone to suggest for a
 * Windows time-zone id or a legacy abbreviation. Only the suggestion comes from here; whether an id is
 * accepted is decided in `time-zone.ts`.
 */

/**
 * Windows time-zone ids (as used by .NET's `TimeZoneInfo` on Windows) → the IANA zone CLDR maps them to
 * for the world region ("001"). Keys are lower-case. The common ones only: any other id that ends in
 * "Standard Time" is still recognised as Windows-style and rejected, with a generic hint.
 */
const windowsZones: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'dateline standard time': 'Etc/GMT+12',
    'hawaiian standard time': 'Pacific/Honolulu',
    'alaskan standard time': 'America/Anchorage',
    'pacific standard time': 'America/Los_Angeles',
    'pacific standard time (mexico)': 'America/Tijuana',
    'us mountain standard time': 'America/Phoenix',
    'mountain standard time': 'America/Denver',
    'mountain standard time (mexico)': 'America/Mazatlan',
    'central america standard time': 'America/Guatemala',
    'central standard time': 'America/Chicago',
    'central standard time (mexico)': 'America/Mexico_City',
    'canada central standard time': 'America/Regina',
    'sa pacific standard time': 'America/Bogota',
    'eastern standard time': 'America/New_York',
    'eastern standard time (mexico)': 'America/Cancun',
    'us eastern standard time': 'America/Indiana/Indianapolis',
    'venezuela standard time': 'America/Caracas',
    'atlantic standard time': 'America/Halifax',
    'sa western standard time': 'America/La_Paz',
    'pacific sa standard time': 'America/Santiago',
    'newfoundland standard time': 'America/St_Johns',
    'e. south america standard time': 'America/Sao_Paulo',
    'argentina standard time': 'America/Argentina/Buenos_Aires',
    'sa eastern standard time': 'America/Cayenne',
    'greenland standard time': 'America/Nuuk',
    'gmt standard time': 'Europe/London',
    'greenwich standard time': 'Atlantic/Reykjavik',
    'morocco standard time': 'Africa/Casablanca',
    'w. europe standard time': 'Europe/Berlin',
    'central europe standard time': 'Europe/Budapest',
    'romance standard time': 'Europe/Paris',
    'central european standard time': 'Europe/Warsaw',
    'w. central africa standard time': 'Africa/Lagos',
    'gtb standard time': 'Europe/Bucharest',
    'e. europe standard time': 'Europe/Chisinau',
    'fle standard time': 'Europe/Kyiv',
    'egypt standard time': 'Africa/Cairo',
    'south africa standard time': 'Africa/Johannesburg',
    'israel standard time': 'Asia/Jerusalem',
    'turkey standard time': 'Europe/Istanbul',
    'arabic standard time': 'Asia/Baghdad',
    'arab standard time': 'Asia/Riyadh',
    'russian standard time': 'Europe/Moscow',
    'e. africa standard time': 'Africa/Nairobi',
    'iran standard time': 'Asia/Tehran',
    'arabian standard time': 'Asia/Dubai',
    'afghanistan standard time': 'Asia/Kabul',
    'pakistan standard time': 'Asia/Karachi',
    'west asia standard time': 'Asia/Tashkent',
    'india standard time': 'Asia/Kolkata',
    'nepal standard time': 'Asia/Kathmandu',
    'bangladesh standard time': 'Asia/Dhaka',
    'myanmar standard time': 'Asia/Yangon',
    'se asia standard time': 'Asia/Bangkok',
    'china standard time': 'Asia/Shanghai',
    'singapore standard time': 'Asia/Singapore',
    'taipei standard time': 'Asia/Taipei',
    'w. australia standard time': 'Australia/Perth',
    'tokyo standard time': 'Asia/Tokyo',
    'korea standard time': 'Asia/Seoul',
    'cen. australia standard time': 'Australia/Adelaide',
    'aus central standard time': 'Australia/Darwin',
    'e. australia standard time': 'Australia/Brisbane',
    'aus eastern standard time': 'Australia/Sydney',
    'tasmania standard time': 'Australia/Hobart',
    'west pacific standard time': 'Pacific/Port_Moresby',
    'new zealand standard time': 'Pacific/Auckland',
    'fiji standard time': 'Pacific/Fiji',
    'tonga standard time': 'Pacific/Tongatapu',
    'samoa standard time': 'Pacific/Apia',
  }),
);

/**
 * Legacy abbreviations and POSIX-style ids that tzdata still ships. Several are fixed offsets without
 * daylight saving (`EST` is UTC-5 all year, unlike New York), which is almost never what was meant, so
 * we suggest the region zone people usually mean. Keys are lower-case.
 */
const legacyZones: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    est: ['America/New_York'],
    edt: ['America/New_York'],
    est5edt: ['America/New_York'],
    cst: ['America/Chicago'],
    cdt: ['America/Chicago'],
    cst6cdt: ['America/Chicago'],
    mst: ['America/Denver', 'America/Phoenix'],
    mdt: ['America/Denver'],
    mst7mdt: ['America/Denver'],
    pst: ['America/Los_Angeles'],
    pdt: ['America/Los_Angeles'],
    pst8pdt: ['America/Los_Angeles'],
    akst: ['America/Anchorage'],
    hst: ['Pacific/Honolulu'],
    cet: ['Europe/Berlin', 'Europe/Paris'],
    cest: ['Europe/Berlin', 'Europe/Paris'],
    met: ['Europe/Berlin', 'Europe/Paris'],
    eet: ['Europe/Athens', 'Europe/Helsinki'],
    wet: ['Europe/Lisbon'],
    bst: ['Europe/London'],
    gmt: ['UTC', 'Europe/London'],
    ist: ['Asia/Kolkata'],
    jst: ['Asia/Tokyo'],
    aest: ['Australia/Sydney'],
  }),
);

/** Ids that mean UTC under another name; we accept only `UTC` itself and `Etc/…` spellings. */
const utcAliases = new Set(['uct', 'utc0', 'universal', 'zulu', 'z', 'greenwich', 'gmt0', 'gmt+0', 'gmt-0']);

/** The IANA zone to suggest for a Windows time-zone id, or `undefined` when `zone` is not one we know. */
export function suggestForWindowsZone(zone: string): string | undefined {
  return windowsZones.get(zone.trim().toLowerCase());
}

/**
 * The zones to suggest for a legacy abbreviation (`EST`, `PST8PDT`, `CET`, …), most likely first
 * (`MST` → Denver, or Phoenix which has no daylight saving); empty when unknown.
 */
export function suggestForLegacyZone(zone: string): readonly string[] {
  const key = zone.trim().toLowerCase();
  if (utcAliases.has(key)) return ['UTC'];
  return legacyZones.get(key) ?? [];
}

/**
 * Finds a supported zone whose city part matches `zone`, so `Berlin` or `new york` can suggest
 * `Europe/Berlin` or `America/New_York`. Returns `undefined` when none or several match.
 */
export function suggestByCity(zone: string, supported: readonly string[]): string | undefined {
  const city = zone.trim().toLowerCase().replace(/\s+/g, '_');
  if (city === '') return undefined;
  const matches = supported.filter((id) => id.toLowerCase().split('/').pop() === city);
  return matches.length === 1 ? matches[0] : undefined;
}
