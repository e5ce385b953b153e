/*
 * matchkey.js — the browser leg of Matchkey (docs/BROWSER.md). Served by the gateway at GET /matchkey.js.
 *
 *   <script src="https://gateway.example/matchkey.js" data-cookie-domain="shop.example" data-ga4-measurement-id="G-ABC123" async></script>
 *   matchkey.track('purchase', { order_id: 1001, value: 59.9, currency: 'USD', items: [{ id: 'SKU-1', quantity: 2, price: 29.95 }] });
 *
 * On every page it keeps the ad platforms' click ids in first-party cookies (90 days, SameSite=Lax) — unless the
 * page says marketing consent is denied. `track` computes the event_id by the rule shared with the server
 * (`order_<order_id>` for a purchase), fires the pixels present on the page with it, and sends the same event to
 * the gateway's /collect, so each platform deduplicates its pixel and server copies. No dependencies.
 */
(function (w, d) {
  'use strict';
  if (w.matchkey && w.matchkey.version) return;

  var VERSION = '1';
  var COOKIE_MAX_AGE_S = 90 * 86400;
  var script = d.currentScript;
  var attr = function (name) {
    return script ? script.getAttribute(name) : null;
  };
  var endpoint = attr('data-endpoint') || (script && script.src ? new URL('/collect', script.src).href : '/collect');

  // Copy of the standard-name table of src/event/names.ts (Meta, TikTok, Pinterest), checked by a test.
  var NAMES = /*names*/ {
    "purchase": ["Purchase", "Purchase", "checkout"],
    "add_to_cart": ["AddToCart", "AddToCart", "add_to_cart"],
    "initiate_checkout": ["InitiateCheckout", "InitiateCheckout", "initiate_checkout"],
    "add_payment_info": ["AddPaymentInfo", "AddPaymentInfo", "add_payment_info"],
    "view_content": ["ViewContent", "ViewContent", "view_content"],
    "page_view": ["PageView", "Pageview", "page_visit"],
    "search": ["Search", "Search", "search"],
    "lead": ["Lead", "Lead", "lead"],
    "complete_registration": ["CompleteRegistration", "CompleteRegistration", "signup"],
    "subscribe": ["Subscribe", "Subscribe", "subscribe"],
    "start_trial": ["StartTrial", "StartTrial", "custom"],
    "add_to_wishlist": ["AddToWishlist", "AddToWishlist", "add_to_wishlist"]
  } /*end names*/;

  // URL parameter → first-party cookie it is kept in. _fbc is special: Meta's format fb.1.<first-seen ms>.<fbclid>.
  var CLICK_COOKIES = { ttclid: 'ttclid', epik: '_epik', gclid: '_mk_gclid', gbraid: '_mk_gbraid', wbraid: '_mk_wbraid', ScCid: '_mk_sccid', msclkid: '_mk_msclkid', rdt_cid: '_mk_rdt_cid' };
  // Cookie → canonical user field sent to /collect.
  // _scid (Snap Pixel), _uetmsclkid (UET tag, `_uet<msclkid>`) and _rdt_uuid (Reddit Pixel) are the platforms' own.
  var SENT_COOKIES = {
    _fbp: 'fbp', _fbc: 'fbc', _ttp: 'ttp', _epik: 'epik', ttclid: 'ttclid', _mk_gclid: 'gclid', _mk_gbraid: 'gbraid', _mk_wbraid: 'wbraid',
    _mk_sccid: 'sccid', _scid: 'scid', _mk_msclkid: 'msclkid', _uetmsclkid: 'msclkid', _mk_rdt_cid: 'rdt_cid', _rdt_uuid: 'rdt_uuid', _ga: 'ga_client_id'
  };
  // URL parameter → canonical user field, where the two differ.
  var PARAM_FIELDS = { fbclid: 'fbclid', ttclid: 'ttclid', epik: 'epik', gclid: 'gclid', gbraid: 'gbraid', wbraid: 'wbraid', ScCid: 'sccid', msclkid: 'msclkid', rdt_cid: 'rdt_cid' };

  // ---- consent -----------------------------------------------------------------------------------------------
  // The page says "marketing denied" by any of: matchkey.consent({ marketing: false }), window.matchkeyConsent =
  // { marketing: false }, Shopify's storefront Customer Privacy API (marketingAllowed() === false), or
  // data-consent="required" on the script tag until matchkey.consent({ marketing: true }) is called.
  var consentGiven = null;

  function consent() {
    var c = consentGiven || w.matchkeyConsent;
    if (c && typeof c.marketing === 'boolean') return { marketing: c.marketing, limited_data_use: c.limited_data_use === true };
    var privacy = w.Shopify && w.Shopify.customerPrivacy;
    if (privacy && typeof privacy.marketingAllowed === 'function') {
      try {
        return { marketing: privacy.marketingAllowed() !== false, limited_data_use: false };
      } catch (e) {
        /* not ready yet: fall through */
      }
    }
    return { marketing: attr('data-consent') !== 'required', limited_data_use: false };
  }

  // ---- cookies -----------------------------------------------------------------------------------------------
  function readCookie(name) {
    var parts = d.cookie ? d.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) {
        try {
          return decodeURIComponent(parts[i].slice(eq + 1));
        } catch (e) {
          return parts[i].slice(eq + 1);
        }
      }
    }
    return undefined;
  }

  // GA4 keeps the session of each data stream in _ga_<measurement id without "G-">: the stream named by
  // data-ga4-measurement-id, else the only such cookie on the page (with several streams and no attribute: none).
  function gaSessionCookie() {
    var id = attr('data-ga4-measurement-id');
    if (id) return readCookie('_ga_' + id.replace(/^G-/, ''));
    var found = [];
    var parts = d.cookie ? d.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) if (parts[i].indexOf('_ga_') === 0) found.push(parts[i].slice(0, parts[i].indexOf('=')));
    return found.length === 1 ? readCookie(found[0]) : undefined;
  }

  // The shop's registrable domain, so the cookies are shared by shop.example and www.shop.example: data-cookie-domain
  // when given, else the host without "www."; an IP address or a one-label host (localhost) gets a host-only cookie.
  function cookieDomain() {
    var given = attr('data-cookie-domain');
    if (given) return given;
    var host = location.hostname;
    if (/^[\d.]+$/.test(host) || host.indexOf(':') >= 0 || host.indexOf('.') < 0) return '';
    return host.replace(/^www\./, '');
  }

  function writeCookie(name, value) {
    var domain = cookieDomain();
    d.cookie =
      name + '=' + encodeURIComponent(value) + '; Max-Age=' + COOKIE_MAX_AGE_S + '; Path=/; SameSite=Lax' +
      (domain ? '; Domain=' + domain : '') + (location.protocol === 'https:' ? '; Secure' : '');
  }

  /** Keeps the landing URL's click ids; never when marketing consent is denied. */
  function captureClickIds() {
    if (!consent().marketing) return;
    var params = new URLSearchParams(location.search);
    var fbclid = params.get('fbclid');
    if (fbclid) {
      // Same click again (a reload, a shared link): keep the first-seen time. A new click replaces it.
      var current = readCookie('_fbc');
      if (!current || current.split('.')[3] !== fbclid) writeCookie('_fbc', 'fb.1.' + Date.now() + '.' + fbclid);
    }
    for (var param in CLICK_COOKIES) {
      var value = params.get(param);
      if (value) writeCookie(CLICK_COOKIES[param], value);
    }
  }

  // ---- events ------------------------------------------------------------------------------------------------
  function randomId() {
    var bytes = new Uint8Array(16);
    w.crypto.getRandomValues(bytes);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] + 256).toString(16).slice(1);
    return 'mk_' + hex;
  }

  /**
   * The event_id rule (src/event/event-id.ts, docs/BROWSER.md), as the server applies it: order_<order_id> for a
   * purchase, else random.
   */
  function eventIdFor(name, data) {
    if (data.event_id) return String(data.event_id);
    if (name === 'purchase' && data.order_id != null && data.order_id !== '') return 'order_' + data.order_id;
    return randomId();
  }

  function pixelParams(data) {
    var items = data.items || [];
    var meta = { value: data.value, currency: data.currency, order_id: data.order_id, search_string: data.search_string };
    var tiktok = { value: data.value, currency: data.currency, query: data.search_string };
    var pinterest = { value: data.value, currency: data.currency, order_id: data.order_id, search_query: data.search_string };
    if (items.length) {
      meta.content_type = tiktok.content_type = 'product';
      meta.content_ids = items.map(function (it) { return String(it.id); });
      meta.contents = items.map(function (it) { return { id: String(it.id), quantity: it.quantity }; });
      tiktok.contents = items.map(function (it) { return { content_id: String(it.id), quantity: it.quantity, price: it.price }; });
      pinterest.line_items = items.map(function (it) { return { product_id: String(it.id), product_quantity: it.quantity, product_price: it.price }; });
    }
    return [clean(meta), clean(tiktok), clean(pinterest)];
  }

  function clean(obj) {
    for (var k in obj) if (obj[k] === undefined || obj[k] === null) delete obj[k];
    return obj;
  }

  /** Fires the pixels present on the page, each with its standard name and the shared event_id. */
  function firePixels(name, eventId, data) {
    var row = NAMES[name];
    var params = pixelParams(data);
    try {
      if (typeof w.fbq === 'function') {
        if (row) w.fbq('track', row[0], params[0], { eventID: eventId });
        else w.fbq('trackCustom', name, params[0], { eventID: eventId });
      }
      if (w.ttq && typeof w.ttq.track === 'function') w.ttq.track(row ? row[1] : name, params[1], { event_id: eventId });
      if (typeof w.pintrk === 'function') {
        params[2].event_id = eventId;
        w.pintrk('track', row ? row[2] : 'custom', params[2]);
      }
    } catch (e) {
      /* a broken pixel on the page must not stop the server copy */
    }
  }

  function collectEvent(name, eventId, data, granted) {
    var user = {};
    var given = data.user || {};
    for (var k in given) user[k] = given[k];
    var c = granted;
    if (c.marketing) {
      for (var cookie in SENT_COOKIES) {
        var value = readCookie(cookie);
        if (value && !user[SENT_COOKIES[cookie]]) user[SENT_COOKIES[cookie]] = value;
      }
      var gaSession = gaSessionCookie();
      if (gaSession && !user.ga_session_id) user.ga_session_id = gaSession;
      // Click ids on this very URL, when no cookie holds them (first page, before capture, or cookies blocked).
      var params = new URLSearchParams(location.search);
      for (var p in PARAM_FIELDS) {
        var v = params.get(p);
        if (v && !user[PARAM_FIELDS[p]] && !(p === 'fbclid' && user.fbc)) user[PARAM_FIELDS[p]] = v;
      }
    } else {
      user = {};
    }
    var commerce = clean({
      value: data.value,
      currency: data.currency,
      order_id: data.order_id == null ? undefined : String(data.order_id),
      items: data.items,
      content_type: data.content_type,
      search_string: data.search_string
    });
    var event = {
      event_id: eventId,
      event_name: name,
      event_time: Math.floor(Date.now() / 1000),
      action_source: 'website',
      event_source_url: location.href.slice(0, 4096),
      user: user,
      consent: c
    };
    if (d.referrer) event.referrer_url = d.referrer.slice(0, 4096);
    for (var f in commerce) {
      event.commerce = commerce;
      break;
    }
    if (data.custom_data) event.custom_data = data.custom_data;
    // Join keys for the order webhook (docs/BROWSER.md "Join keys"): only these unguessable tokens carry the
    // browser's cookies, click ids and consent onto an order — never its guessable order id.
    var tokens = clean({ checkout_token: data.checkout_token, cart_token: data.cart_token });
    for (var t in tokens) {
      event.shopify = tokens;
      break;
    }
    return event;
  }

  function send(event) {
    var body = JSON.stringify(event);
    // A string body goes as text/plain: a CORS-safelisted type, so no preflight and it survives the page unloading.
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    } catch (e) {
      /* fall back to fetch */
    }
    if (w.fetch) w.fetch(endpoint, { method: 'POST', body: body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
  }

  /** Tracks one event on every leg with one event_id; returns that event_id. */
  function track(name, data) {
    data = data || {};
    var eventId = eventIdFor(name, data);
    var granted = consent();
    // Marketing denied: no ad pixel is fired; the gateway still records the event (and the denial, which it
    // carries onto the order) and sends it nowhere.
    if (granted.marketing) firePixels(name, eventId, data);
    send(collectEvent(name, eventId, data, granted));
    return eventId;
  }

  function setConsent(c) {
    consentGiven = { marketing: c.marketing === true, limited_data_use: c.limited_data_use === true };
    captureClickIds();
  }

  var queued = w.matchkey && w.matchkey.q;
  w.matchkey = { version: VERSION, track: track, consent: setConsent, eventId: eventIdFor };
  captureClickIds();
  if (attr('data-page-view') !== null) track('page_view', {});
  if (queued && queued.length) {
    for (var i = 0; i < queued.length; i++) w.matchkey[queued[i][0]].apply(null, queued[i][1]);
  }
})(window, document);
