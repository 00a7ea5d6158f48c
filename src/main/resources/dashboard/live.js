// Live updates for the dashboard: listens to /ui/events (Server-Sent Events, the session's own scope) and, when
// something happens, fetches the same page's <main> again (X-Dashboard-Fragment: main) and swaps it in; no reload.
// A lost connection shows "Reconnecting…" in the role=status element until the stream is back.
// The stream ends with the session (expiry, sign-out, token removed): a refused reconnect then asks whether we are
// still signed in and, when not, shows "Signed out" with a sign-in link (data-state="signed-out") and stops retrying.
(function () {
  'use strict';
  var body = document.body;
  var main = document.getElementById('main');
  var status = document.getElementById('live-status');
  if (!body || !main || !status || !body.getAttribute('data-live') || !window.EventSource) {
    return;
  }
  var url = body.getAttribute('data-live');
  var types = (body.getAttribute('data-event-types') || '').split(' ').filter(Boolean);
  var source = null;
  var lost = false;
  var refreshTimer = null;
  var refreshing = false;
  var again = false;

  function show(state, text) {
    status.setAttribute('data-state', state);
    status.textContent = text;
  }

  function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    fetch(window.location.href, {headers: {'X-Dashboard-Fragment': 'main'}, credentials: 'same-origin'})
      .then(function (r) {
        if (r.redirected || r.status === 401) {
          window.location.assign('/sign-in');
          return null;
        }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var focused = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : null;
        var open = [];
        main.querySelectorAll('details[open]').forEach(function (d) {
          var td = d.closest('[data-env][data-template]');
          if (td) { open.push(td.getAttribute('data-env') + '/' + td.getAttribute('data-template')); }
        });
        main.innerHTML = html;
        open.forEach(function (key) {
          var parts = key.split('/');
          var td = main.querySelector('td[data-env="' + parts[0] + '"][data-template="' + parts[1] + '"] details');
          if (td) { td.open = true; }
        });
        if (focused) {
          var el = document.getElementById(focused);
          if (el) { el.focus(); }
        }
        main.setAttribute('data-refreshed', String(Date.now()));
        document.dispatchEvent(new CustomEvent('lockstep:refreshed'));
      })
      .catch(function () { /* the stream's error handler shows the state */ })
      .then(function () {
        refreshing = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  }

  function schedule() {
    if (refreshTimer === null) {
      refreshTimer = window.setTimeout(function () {
        refreshTimer = null;
        refresh();
      }, 200);
    }
  }

  function signedOut() {
    status.setAttribute('data-state', 'signed-out');
    status.textContent = 'Signed out — ';
    var a = document.createElement('a');
    a.href = '/sign-in';
    a.textContent = 'sign in again';
    status.appendChild(a);
  }

  // A refused stream is either a lost session (401, which EventSource does not tell) or a busy or unreachable
  // server: the page itself answers which (a redirect to sign-in or 401 when signed out).
  function retryOrSignOut() {
    fetch(window.location.href, {headers: {'X-Dashboard-Fragment': 'main'}, credentials: 'same-origin'})
      .then(function (r) {
        if (r.redirected || r.status === 401) {
          signedOut();
        } else {
          connect();
        }
      })
      .catch(function () { window.setTimeout(retryOrSignOut, 3000); });
  }

  function connect() {
    source = new EventSource(url);
    source.onopen = function () {
      show('live', 'Live');
      if (lost) {
        lost = false;
        schedule(); // what changed while we were away
      }
    };
    source.onerror = function () {
      lost = true;
      show('reconnecting', 'Reconnecting…');
      if (source.readyState === EventSource.CLOSED) {
        // the server refused the stream (signed out, busy): EventSource gives up, so retry by hand
        source = null;
        window.setTimeout(retryOrSignOut, 3000);
      }
    };
    source.onmessage = schedule;
    types.forEach(function (t) { source.addEventListener(t, schedule); });
  }

  // A page whose numbers change without an event (fleet reports tell one only when a threshold is crossed) asks
  // for a periodic refresh too: an element in <main> with data-refresh-every="<seconds>" (the Rollout page).
  var lastTimed = Date.now();
  window.setInterval(function () {
    var el = main.querySelector('[data-refresh-every]');
    var every = el ? parseInt(el.getAttribute('data-refresh-every'), 10) : 0;
    if (every > 0 && !document.hidden && Date.now() - lastTimed >= every * 1000) {
      lastTimed = Date.now();
      schedule();
    }
  }, 1000);

  connect();
  window.addEventListener('pagehide', function () {
    if (source) { source.close(); }
  });
})();
