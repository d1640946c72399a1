// The dashboard's shell: sign-in, navigation by #hash, and the pages.
import {api, whenSignedOut} from './api.js';
import {h, fill} from './dom.js';
import * as overview from './pages/overview.js';
import * as keys from './pages/keys.js';
import * as usage from './pages/usage.js';
import * as requests from './pages/requests.js';
import * as providers from './pages/providers.js';
import * as playground from './pages/playground.js';

const PAGES = {overview, keys, usage, requests, providers, playground};
const $ = id => document.getElementById(id);
let cleanup = null;

async function boot() {
  whenSignedOut(showSignIn);
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  try {
    const me = await api('admin/session');
    signedIn(me);
  } catch (e) {
    showSignIn();
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $('admin-key');
  const key = input.value.trim();
  $('sign-in-error').textContent = '';
  try {
    const res = await fetch('admin/session', {method: 'POST', credentials: 'same-origin',
      headers: {Authorization: 'Bearer ' + key}});
    input.value = ''; // the key is not kept: the session cookie stands for it from now on
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body && body.error ? body.error.message : 'HTTP ' + res.status);
    signedIn(body);
  } catch (e) {
    $('sign-in-error').textContent = e.message;
    input.focus();
  }
}

async function signOut() {
  try { await api('admin/session', {method: 'DELETE'}); } catch (e) { /* gone already */ }
  showSignIn();
}

function signedIn(me) {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  const who = $('who');
  who.hidden = false;
  who.textContent = 'Signed in as ' + me.key.name + (me.key.prefix ? ' (' + me.key.prefix + '…)' : '');
  route();
}

function showSignIn() {
  if (cleanup) { cleanup(); cleanup = null; }
  fill($('page'));
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  $('admin-key').focus();
}

function route() {
  if ($('nav').hidden) return;
  const name = (location.hash || '#overview').slice(1).split('?')[0];
  const page = PAGES[name] || overview;
  for (const a of $('nav').querySelectorAll('a')) {
    if (a.getAttribute('href') === '#' + (PAGES[name] ? name : 'overview')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (cleanup) { cleanup(); cleanup = null; }
  const container = fill($('page'));
  container.dataset.page = PAGES[name] ? name : 'overview';
  Promise.resolve(page.render(container)).then(c => { cleanup = typeof c === 'function' ? c : null; })
    .catch(e => container.append(h('p', {class: 'error', role: 'alert'}, e.message)));
  document.title = 'imagegate · ' + container.dataset.page;
}

boot();
