/**
 * A frontend's first calls, written against types that openapi-typescript generated from the live
 * `/api/v1/schema/` and sent through openapi-fetch: if the schema and the server disagree, this
 * fails to compile (`tsc --strict`) or to run. tests/integration/test_typescript_client.py
 * generates the types into a temporary folder (imported here as "f-brain-api"), compiles this
 * file, and runs it against a server it started and seeded; this prints one JSON report of what
 * the server answered, for the test to compare with what it seeded.
 *
 * Environment: API_BASE_URL (the server), API_TOKEN (a user's token), API_LOCATION_ID (the
 * seeded location that has current weather and a forecast).
 */
import createClient from "openapi-fetch";
import type { components, paths } from "f-brain-api";

type Schemas = components["schemas"];
type ListedLocation = Schemas["LocationWithCurrent"];
type CurrentWeather = Schemas["CurrentWeather"];
type Problem = Schemas["Problem"];

// --- what the types must say (a mismatch is a compile error) ------------------------------------

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** `current` is optional (only with `include=current`), nullable, and the current observation. */
const _currentIsTheCurrentObservation: Equals<
  ListedLocation["current"],
  CurrentWeather | null | undefined
> = true;
/** Numbers the provider did not give are null; the unit of each is named. */
const _temperatureMayBeNull: Equals<CurrentWeather["temperature"], number | null> = true;
const _unitsAreNamed: Equals<CurrentWeather["units"]["temperature"], "°C" | "°F"> = true;
/** A problem's `errors` is there for validation failures only. */
const _errorsAreOptional: Equals<Problem["errors"], { [key: string]: string[] } | undefined> = true;
void [_currentIsTheCurrentObservation, _temperatureMayBeNull, _unitsAreNamed, _errorsAreOptional];

/** Never called: requests the schema forbids do not compile. */
export function forbiddenRequests(api: ReturnType<typeof createClient<paths>>): void {
  // @ts-expect-error `include` takes only "current"
  void api.GET("/api/v1/locations/", { params: { query: { include: "forecast" } } });
  // @ts-expect-error `units` is metric or imperial
  void api.GET("/api/v1/locations/", { params: { query: { units: "kelvin" } } });
  // @ts-expect-error a location needs its coordinates
  void api.POST("/api/v1/locations/", { body: { name: "Nowhere" } });
}

// --- the calls ----------------------------------------------------------------------------------

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const baseUrl = required("API_BASE_URL");
const api = createClient<paths>({ baseUrl });
const asUser = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Token ${required("API_TOKEN")}` },
});
const seededId = required("API_LOCATION_ID");

// Locations with their current weather, in imperial units: one request for the page.
const listed = await api.GET("/api/v1/locations/", {
  params: { query: { include: "current", units: "imperial", page_size: 100 } },
});
check(listed.data, `listing answered ${listed.response.status}`);
const locations: ListedLocation[] = listed.data.results;
const seeded = locations.find((location) => location.id === seededId);
check(seeded, "the seeded location is not listed");
const current: CurrentWeather | null | undefined = seeded.current;
check(current, "the seeded location has no current weather");
const temperature: number | null = current.temperature;
const temperatureUnit: "°C" | "°F" = current.units.temperature;

// The seeded location's hourly forecast, as typed.
const forecast = await api.GET("/api/v1/locations/{location_id}/weather/forecast/", {
  params: { path: { location_id: seededId }, query: { hours: 6, units: "imperial" } },
});
check(forecast.data, `the forecast answered ${forecast.response.status}`);
const hours = forecast.data.hourly.map((hour) => ({
  time: hour.time,
  temperature: hour.temperature,
}));

// Register a location with the token, then delete it.
const created = await asUser.POST("/api/v1/locations/", {
  body: { name: "Typed Town", latitude: 1.2345, longitude: 2.3456, timezone: "Europe/Paris" },
});
check(created.data, `registering answered ${created.response.status}`);
const location: Schemas["Location"] = created.data;
const deleted = await asUser.DELETE("/api/v1/locations/{location_id}/", {
  params: { path: { location_id: location.id } },
});
const gone = await api.GET("/api/v1/locations/{location_id}/", {
  params: { path: { location_id: location.id } },
});
check(gone.error, `the deleted location answered ${gone.response.status}`);

// A bad request the types allow (the range is the server's to check): a typed problem.
const refused = await asUser.POST("/api/v1/locations/", {
  body: { name: "Beyond the pole", latitude: 95, longitude: 0 },
});
check(refused.error, `an out-of-range latitude answered ${refused.response.status}`);
const problem: Problem = refused.error;
const fieldErrors: { [field: string]: string[] } = problem.errors ?? {};

console.log(
  JSON.stringify({
    listed: {
      count: listed.data.count,
      names: locations.map((item) => item.name),
      current,
      temperature,
      temperature_unit: temperatureUnit,
      without_current: locations.filter((item) => item.current === null).map((item) => item.id),
    },
    forecast: { units: forecast.data.units, hours },
    created: {
      status: created.response.status,
      location,
      url: created.response.headers.get("Location"),
    },
    deleted: { status: deleted.response.status, then: gone.error.status },
    problem: {
      content_type: refused.response.headers.get("Content-Type"),
      type: problem.type,
      status: problem.status,
      errors: fieldErrors,
    },
  }),
);
