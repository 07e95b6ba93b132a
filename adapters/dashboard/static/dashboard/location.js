// A location's page (/locations/<id>/): draws its two charts, keeps it live from the event
// stream, and runs the "refresh now" button. No inline script, no other host: the data comes
// from this page's own JSON blocks (json_script), the live updates from /api/v1/events/, and
// the chart code is the vendored Chart.js (static/dashboard/vendor/).
//
// On `weather.refreshed` for this location the page re-reads itself (same URL, same units, same
// language) and swaps the weather region (current conditions, charts' data, daily table): the
// server renders every number and word once, in one place, and the script never formats a
// reading itself.
(function () {
  "use strict";

  const page = document.querySelector("[data-location-page]");
  if (!page) {
    return;
  }
  const locationId = page.dataset.locationId;
  const texts = JSON.parse(document.getElementById("page-texts").textContent);
  const notice = page.querySelector("[data-testid='live-notice']");
  const language = document.documentElement.lang || "en";
  let charts = [];

  function say(element, message) {
    element.textContent = message || "";
    element.hidden = !message;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      name in values ? String(values[name]) : whole,
    );
  }

  // --- charts ----------------------------------------------------------------------------------

  function palette() {
    const style = getComputedStyle(document.documentElement);
    const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      ink: read("--ink", "#1d2330"),
      muted: read("--muted", "#5d6677"),
      line: read("--line", "#d9dee7"),
      warm: read("--warm", "#c4461c"),
      cold: read("--cold", "#1f5fbf"),
      rain: read("--rain", "#3a7bd5"),
    };
  }

  function hourLabel(timeZone) {
    const format = new Intl.DateTimeFormat(language, {
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    });
    return (iso) => format.format(new Date(iso));
  }

  function dayLabel() {
    // A local date is a calendar day, not an instant: format it at noon UTC, in UTC.
    const format = new Intl.DateTimeFormat(language, {
      weekday: "short",
      day: "numeric",
      month: "short",
      timeZone: "UTC",
    });
    return (date) => format.format(new Date(`${date}T12:00:00Z`));
  }

  function baseOptions(colors) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { color: colors.ink } } },
    };
  }

  function axis(colors, title, extra) {
    return Object.assign(
      {
        ticks: { color: colors.muted },
        grid: { color: colors.line },
        title: { display: Boolean(title), text: title, color: colors.muted },
      },
      extra || {},
    );
  }

  // The number of points the main series really drew (a missing value draws none), on the
  // chart's element, where the browser tests read it.
  function countDrawn(figure, chart) {
    const meta = chart.getDatasetMeta(0);
    const drawn = meta.data.filter((element) => !element.skip).length;
    figure.dataset.points = String(drawn);
  }

  function emptyChart(figure, message) {
    figure.querySelector(".chart-box").hidden = true;
    let empty = figure.querySelector(".chart-empty");
    if (!empty) {
      empty = document.createElement("p");
      empty.className = "chart-empty empty";
      figure.appendChild(empty);
    }
    empty.textContent = message;
    figure.dataset.points = "0";
  }

  function drawHourly(figure, data, colors) {
    const points = data.hourly;
    if (!points.length) {
      emptyChart(figure, texts.no_hourly);
      return null;
    }
    const label = hourLabel(data.timezone);
    const chart = new window.Chart(figure.querySelector("canvas"), {
      type: "bar", // the precipitation bars; the temperature line is the dataset's own type
      data: {
        labels: points.map((point) => label(point.time)),
        datasets: [
          {
            type: "line",
            label: `${texts.temperature} (${data.units.temperature})`,
            data: points.map((point) => point.temperature),
            borderColor: colors.warm,
            backgroundColor: colors.warm,
            pointRadius: 2,
            tension: 0.3,
            yAxisID: "temperature",
            order: 0,
          },
          {
            type: "bar",
            label: `${texts.precipitation} (${data.units.precipitation})`,
            data: points.map((point) => point.precipitation),
            backgroundColor: colors.rain,
            yAxisID: "precipitation",
            order: 1,
          },
        ],
      },
      options: Object.assign(baseOptions(colors), {
        scales: {
          x: axis(colors, "", { ticks: { color: colors.muted, maxTicksLimit: 12 } }),
          temperature: axis(colors, data.units.temperature, { position: "left" }),
          precipitation: axis(colors, data.units.precipitation, {
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
          }),
        },
      }),
    });
    countDrawn(figure, chart);
    return chart;
  }

  function drawHistory(figure, data, colors) {
    const days = data.history;
    if (!days.length) {
      emptyChart(figure, texts.no_history);
      return null;
    }
    const label = dayLabel();
    const chart = new window.Chart(figure.querySelector("canvas"), {
      type: "line",
      data: {
        labels: days.map((day) => label(day.date)),
        datasets: [
          {
            label: `${texts.daily_max} (${data.units.temperature})`,
            data: days.map((day) => day.max),
            borderColor: colors.warm,
            backgroundColor: colors.warm,
          },
          {
            label: `${texts.daily_min} (${data.units.temperature})`,
            data: days.map((day) => day.min),
            borderColor: colors.cold,
            backgroundColor: colors.cold,
          },
        ],
      },
      options: Object.assign(baseOptions(colors), {
        scales: {
          x: axis(colors, ""),
          y: axis(colors, data.units.temperature),
        },
      }),
    });
    countDrawn(figure, chart);
    return chart;
  }

  function drawCharts() {
    charts.forEach((chart) => chart.destroy());
    charts = [];
    const data = JSON.parse(document.getElementById("chart-data").textContent);
    if (typeof window.Chart !== "function") {
      return; // the vendored file did not load: the tables and current conditions still stand
    }
    const colors = palette();
    const hourly = drawHourly(page.querySelector("[data-testid='chart-hourly']"), data, colors);
    const history = drawHistory(page.querySelector("[data-testid='chart-history']"), data, colors);
    charts = [hourly, history].filter(Boolean);
  }

  // --- reloading the weather region ---------------------------------------------------------------

  // The web process's own cache may still hold the old weather for a few seconds after another
  // process (a worker) stored the new and the event went out: with the default per-process
  // cache, invalidation does not cross processes and a 5-second time-to-live bounds it instead
  // (adapters/persistence/cache.py). So an event brings a re-read at once (right with a shared
  // cache) and another once that time has passed (right with any cache); a re-read that brings
  // nothing new changes nothing on the page.
  const SETTLE_MS = 6000;
  let lastRegion = document.getElementById("weather").innerHTML; // before the charts touch it
  let reloading = null;
  let settling = null;

  function weatherChanged() {
    reloadWeather();
    window.clearTimeout(settling);
    settling = window.setTimeout(reloadWeather, SETTLE_MS);
  }

  async function reloadWeather() {
    if (reloading) {
      return reloading; // one re-read at a time: a burst of events needs only one
    }
    reloading = (async () => {
      try {
        const response = await fetch(window.location.href, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
          cache: "no-store",
        });
        if (!response.ok) {
          throw new Error(`HTTP ${response.status}`);
        }
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const region = fresh.getElementById("weather");
        if (!region) {
          throw new Error("no weather region in the page");
        }
        if (notice.dataset.reason === "reload") {
          say(notice, "");
          delete notice.dataset.reason;
        }
        if (region.innerHTML === lastRegion) {
          return;
        }
        lastRegion = region.innerHTML;
        document.getElementById("weather").replaceChildren(
          ...Array.from(region.childNodes, (node) => document.importNode(node, true)),
        );
        drawCharts();
      } catch (error) {
        notice.dataset.reason = "reload";
        say(notice, texts.reload_failed);
      } finally {
        reloading = null;
      }
    })();
    return reloading;
  }

  // --- the event stream --------------------------------------------------------------------------

  const RECONNECT_AFTER_MS = 5000;

  function listen() {
    const stream = new EventSource(page.dataset.eventsUrl, { withCredentials: true });
    stream.addEventListener("open", () => {
      document.body.dataset.live = "open";
      if (notice.dataset.reason === "live") {
        say(notice, "");
        delete notice.dataset.reason;
      }
    });
    stream.addEventListener("error", () => {
      document.body.dataset.live = stream.readyState === EventSource.CLOSED ? "closed" : "connecting";
      notice.dataset.reason = "live";
      say(notice, texts.live_lost);
      if (stream.readyState === EventSource.CLOSED) {
        // The server refused the stream (an outage answers 503): the browser gives up, we don't.
        window.setTimeout(listen, RECONNECT_AFTER_MS);
      }
    });
    stream.addEventListener("weather.refreshed", (event) => {
      const data = JSON.parse(event.data);
      if ((data.location_ids || []).includes(locationId)) {
        weatherChanged();
      }
    });
    stream.addEventListener("reset", () => weatherChanged());
    stream.addEventListener("location.deleted", (event) => {
      if (JSON.parse(event.data).location_id === locationId) {
        notice.dataset.reason = "deleted";
        say(notice, texts.deleted);
        stream.close();
      }
    });
  }

  // --- "refresh now" -----------------------------------------------------------------------------

  const POLL_EVERY_MS = 1000;
  const POLL_AT_MOST = 90;

  async function problemText(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || `HTTP ${response.status}`;
    } catch (error) {
      return `HTTP ${response.status}`;
    }
  }

  async function follow(statusUrl, status) {
    for (let attempt = 0; attempt < POLL_AT_MOST; attempt += 1) {
      await new Promise((resolve) => window.setTimeout(resolve, POLL_EVERY_MS));
      const response = await fetch(statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        status.textContent = fill(texts.failure, { error: await problemText(response) });
        return;
      }
      const task = await response.json();
      status.dataset.state = task.state;
      if (task.state === "SUCCESS") {
        status.textContent = texts.success;
        weatherChanged(); // the stream says so too; without it, this is the update
        return;
      }
      if (task.state === "FAILURE") {
        status.textContent = fill(texts.failure, { error: task.error || "" });
        return;
      }
      status.textContent = {
        PENDING: texts.queued,
        STARTED: texts.started,
        RETRY: texts.retry,
      }[task.state] || texts.queued;
    }
    status.textContent = texts.timeout;
  }

  function setUpRefresh() {
    const button = page.querySelector("[data-testid='refresh-now']");
    if (!button) {
      return;
    }
    const status = page.querySelector("[data-testid='refresh-status']");
    const token = button.closest("[data-csrf-token]").dataset.csrfToken;
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.dataset.state = "QUEUING";
      status.textContent = texts.queuing;
      try {
        const response = await fetch(page.dataset.refreshUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token },
        });
        if (response.status !== 202) {
          status.dataset.state = "REFUSED";
          status.textContent = fill(texts.refresh_error, { error: await problemText(response) });
          return;
        }
        const queued = await response.json();
        status.dataset.state = "PENDING";
        status.textContent = texts.queued;
        // Its path on this page's own origin: behind a proxy the absolute URL the API builds may
        // name another scheme or host than the one the browser speaks to.
        const statusUrl = new URL(queued.status_url, window.location.href);
        await follow(statusUrl.pathname + statusUrl.search, status);
      } catch (error) {
        status.dataset.state = "REFUSED";
        status.textContent = fill(texts.refresh_error, { error: error.message });
      } finally {
        button.disabled = false;
      }
    });
  }

  drawCharts();
  setUpRefresh();
  listen();
})();
