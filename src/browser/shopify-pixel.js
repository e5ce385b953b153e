/*
 * Matchkey — Shopify Customer Events (custom pixel) script (docs/BROWSER.md "Shopify web pixel").
 * Paste it in Shopify admin → Settings → Customer events → Add custom pixel. Served by the gateway at
 * GET /shopify-pixel.js with MATCHKEY_COLLECT_URL already pointing at that gateway.
 *
 * It turns Shopify's standard customer events into canonical events posted to the gateway's /collect, with the
 * event_id rule shared with the order webhook (`order_<order id>` for checkout_completed), the browser's ad
 * cookies, and the checkout/cart token the gateway joins the order webhook on. It honours the visitor's consent
 * (init.customerPrivacy, then visitorConsentCollected): with marketing denied no cookie is read and the event
 * only carries the denial. It sends no email, phone, name or address: the order webhook brings those.
 */
var MATCHKEY_COLLECT_URL = '__MATCHKEY_COLLECT_URL__';
// The gateway's GA4 measurement ids (comma-separated), whose _ga_<id without "G-"> cookie holds the GA4 session.
var MATCHKEY_GA4_MEASUREMENT_IDS = '__MATCHKEY_GA4_MEASUREMENT_IDS__';

(function () {
  var SHOPIFY_EVENTS = {
    page_viewed: 'page_view',
    product_viewed: 'view_content',
    product_added_to_cart: 'add_to_cart',
    search_submitted: 'search',
    checkout_started: 'initiate_checkout',
    payment_info_submitted: 'add_payment_info',
    checkout_completed: 'purchase'
  };
  var COOKIES = {
    _fbp: 'fbp', _fbc: 'fbc', _ttp: 'ttp', _epik: 'epik', ttclid: 'ttclid', _mk_gclid: 'gclid', _mk_gbraid: 'gbraid', _mk_wbraid: 'wbraid',
    _mk_sccid: 'sccid', _scid: 'scid', _mk_msclkid: 'msclkid', _uetmsclkid: 'msclkid', _mk_rdt_cid: 'rdt_cid', _rdt_uuid: 'rdt_uuid', _ga: 'ga_client_id'
  };
  // URL parameter → canonical user field.
  var CLICK_PARAMS = { fbclid: 'fbclid', ttclid: 'ttclid', epik: 'epik', gclid: 'gclid', gbraid: 'gbraid', wbraid: 'wbraid', ScCid: 'sccid', msclkid: 'msclkid', rdt_cid: 'rdt_cid' };
  // The session cookie of the first GA4 stream the gateway sends to (several streams: their sessions differ).
  var gaStream = MATCHKEY_GA4_MEASUREMENT_IDS.indexOf('__') === 0 ? '' : MATCHKEY_GA4_MEASUREMENT_IDS.split(',')[0];
  if (gaStream) COOKIES['_ga_' + gaStream.replace(/^G-/, '')] = 'ga_session_id';

  var privacyApi = (typeof api !== 'undefined' && api && api.customerPrivacy) || (typeof customerPrivacy !== 'undefined' ? customerPrivacy : null);
  var privacy = (typeof init !== 'undefined' && init && init.customerPrivacy) || null;
  if (privacyApi && typeof privacyApi.subscribe === 'function') {
    privacyApi.subscribe('visitorConsentCollected', function (event) {
      privacy = event.customerPrivacy;
    });
  }
  function consent() {
    // Before the visitor answered, Shopify reports what the shop's region allows (marketingAllowed).
    var marketing = !privacy || privacy.marketingAllowed !== false;
    return { marketing: marketing, limited_data_use: !!privacy && privacy.saleOfDataAllowed === false };
  }

  function amount(money) {
    var n = money && typeof money.amount !== 'undefined' ? Number(money.amount) : NaN;
    return isFinite(n) ? n : undefined;
  }

  // Shopify ids may come as GIDs (gid://shopify/OrderIdentity/1001); the order webhook knows the number only.
  function numericId(id) {
    if (id === undefined || id === null) return undefined;
    var s = String(id).split('?')[0];
    return s.slice(s.lastIndexOf('/') + 1) || undefined;
  }

  function variantItem(variant, quantity) {
    if (!variant) return undefined;
    var product = variant.product || {};
    var item = { id: String(variant.sku || variant.id || product.id || '') };
    if (!item.id) return undefined;
    if (product.title || variant.title) item.name = String(product.title || variant.title);
    if (product.vendor) item.brand = String(product.vendor);
    if (product.type) item.category = String(product.type);
    if (typeof quantity === 'number') item.quantity = quantity;
    var price = amount(variant.price);
    if (price !== undefined) item.price = price;
    return item;
  }

  function checkoutCommerce(checkout) {
    var items = [];
    (checkout.lineItems || []).forEach(function (line) {
      var item = variantItem(line.variant, line.quantity);
      if (item) items.push(item);
    });
    var commerce = { value: amount(checkout.totalPrice), currency: checkout.currencyCode };
    if (items.length) commerce.items = items;
    return commerce;
  }

  function build(event, name) {
    var data = event.data || {};
    var commerce = {};
    var shopify = {};
    var eventId = event.id ? String(event.id) : undefined; // Shopify's own id of this customer event
    if (data.checkout) {
      commerce = checkoutCommerce(data.checkout);
      if (data.checkout.token) shopify.checkout_token = String(data.checkout.token);
      var orderId = numericId(data.checkout.order && data.checkout.order.id);
      if (name === 'purchase' && orderId) {
        commerce.order_id = orderId;
        eventId = 'order_' + orderId; // the rule the order webhook uses: both legs share the event_id
      }
    } else if (data.cartLine) {
      var line = data.cartLine;
      var item = variantItem(line.merchandise, line.quantity);
      commerce = { value: amount(line.cost && line.cost.totalAmount), currency: line.cost && line.cost.totalAmount && line.cost.totalAmount.currencyCode };
      if (item) commerce.items = [item];
    } else if (data.productVariant) {
      var viewed = variantItem(data.productVariant, 1);
      commerce = { value: amount(data.productVariant.price), currency: data.productVariant.price && data.productVariant.price.currencyCode };
      if (viewed) commerce.items = [viewed];
    } else if (data.searchResult && data.searchResult.query) {
      commerce = { search_string: String(data.searchResult.query).slice(0, 1024) };
    }
    var cart = typeof init !== 'undefined' && init && init.data && init.data.cart;
    if (cart && cart.id) shopify.cart_token = String(cart.id);
    for (var k in commerce) if (commerce[k] === undefined) delete commerce[k];

    var doc = (event.context && event.context.document) || {};
    var out = {
      event_name: name,
      event_time: Math.floor((Date.parse(event.timestamp) || Date.now()) / 1000),
      action_source: 'website',
      user: {},
      consent: consent()
    };
    if (eventId) out.event_id = eventId;
    if (doc.location && doc.location.href) out.event_source_url = String(doc.location.href).slice(0, 4096);
    if (doc.referrer) out.referrer_url = String(doc.referrer).slice(0, 4096);
    if (Object.keys(commerce).length) out.commerce = commerce;
    if (Object.keys(shopify).length) out.shopify = shopify;
    return out;
  }

  function withCookies(out, search) {
    if (!out.consent.marketing || typeof browser === 'undefined' || !browser.cookie) return Promise.resolve(out);
    var names = Object.keys(COOKIES);
    return Promise.all(names.map(function (n) { return browser.cookie.get(n).catch(function () { return ''; }); })).then(function (values) {
      values.forEach(function (v, i) {
        if (v && !out.user[COOKIES[names[i]]]) out.user[COOKIES[names[i]]] = String(v).slice(0, 1024);
      });
      var params = new URLSearchParams(search || '');
      for (var p in CLICK_PARAMS) {
        var v = params.get(p);
        if (v && !out.user[CLICK_PARAMS[p]] && !(p === 'fbclid' && out.user.fbc)) out.user[CLICK_PARAMS[p]] = v.slice(0, 1024);
      }
      return out;
    });
  }

  function post(out) {
    // text/plain: a CORS-safelisted type, no preflight; keepalive lets it finish when the page goes away.
    return fetch(MATCHKEY_COLLECT_URL, { method: 'POST', body: JSON.stringify(out), keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
  }

  Object.keys(SHOPIFY_EVENTS).forEach(function (shopifyName) {
    analytics.subscribe(shopifyName, function (event) {
      var doc = (event.context && event.context.document) || {};
      var out = build(event, SHOPIFY_EVENTS[shopifyName]);
      return withCookies(out, doc.location && doc.location.search).then(post);
    });
  });
})();
