// A real OpenID Connect provider for Overgang's sign-in tests: panva's certified oidc-provider on loopback, set up
// like the municipality's Entra ID as far as Overgang can tell (RS256 ID tokens with `oid` and `groups`, PKCE
// required, RP-initiated logout), with a Norwegian sign-in form of its own instead of the library's dev pages.
//
//   PORT=<port> KONFIG=<file.json> node server.js
//
// KONFIG: {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris", "admin_token",
//          "kontoer": {"<login>": {"passord", "sub", "oid", "name", "given_name", "family_name", "email", "groups"}}}
//
// The tests steer it through /__test/ (Bearer admin_token): POST /__test/konto {"login", "groups"} changes a
// person's groups; POST /__test/feil {"modus"} spoils the next ID token from the token endpoint, signed as the
// provider would but expired ("utlopt"), or signed with a key the provider never published ("fremmed_nokkel").
// It prints "klar <issuer>" when it listens.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const konfig = JSON.parse(readFileSync(process.env.KONFIG, 'utf8'));
const kontoer = new Map(Object.entries(konfig.kontoer));
let feilmodus = null;

async function lagNokkel(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

// The provider's one key, and an impostor with the same kid: only the signature tells them apart.
const nokkel = await lagNokkel('overgang-test-1');
const fremmedNokkel = await lagNokkel('overgang-test-1');

function html(tekst) {
  return String(tekst).replace(/[&<>"']/g, (t) => `&#${t.charCodeAt(0)};`);
}

function side(res, tittel, innhold, status = 200) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${html(tittel)}</title></head>`
    + `<body><main><h1>${html(tittel)}</h1>${innhold}</main></body></html>`);
}

function kontoMedSub(sub) {
  for (const [login, konto] of kontoer) {
    if (konto.sub === sub) return [login, konto];
  }
  return [];
}

async function logoutSource(ctx, form) {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Logg ut</title></head><body><main>
    <h1>Vil du logge ut fra kommunens innlogging?</h1>${form}
    <button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, logg ut</button>
    <button type="submit" form="op.logoutForm">Nei, forbli innlogget</button></main></body></html>`;
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Logget ut</title></head>'
    + '<body><main><h1>Du er logget ut fra kommunens innlogging</h1></main></body></html>';
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: konfig.client_id,
    client_secret: konfig.client_secret,
    // Native only so that a loopback redirect URI may carry any port (RFC 8252 § 7.3): the live server's port
    // is chosen at random. Everything else is as for a web app: a confidential client with the code flow.
    application_type: 'native',
    redirect_uris: konfig.redirect_uris,
    post_logout_redirect_uris: konfig.post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [nokkel] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  // Like Entra: the claims go in the ID token itself, and `oid` and `groups` come with the openid scope.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'oid', 'groups'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  async findAccount(ctx, sub) {
    if (!kontoMedSub(sub)[1]) return undefined;
    return {
      accountId: sub,
      async claims() {
        // Read at every token, so a change of groups through /__test/konto shows at the next sign-in.
        const [login, konto] = kontoMedSub(sub);
        return {
          sub,
          oid: konto.oid,
          groups: konto.groups,
          name: konto.name,
          given_name: konto.given_name,
          family_name: konto.family_name,
          preferred_username: konto.preferred_username ?? login,
          email: konto.email,
        };
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Feil</title></head><body><main>'
      + `<h1>Feil hos kommunens innlogging</h1><pre>${html(JSON.stringify(out))}</pre></main></body></html>`;
  },
});

async function spoil(idToken) {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
  let signertMed = nokkel;
  if (feilmodus === 'utlopt') {
    const naa = Math.floor(Date.now() / 1000);
    payload.iat = naa - 3600;
    payload.exp = naa - 600;
  } else if (feilmodus === 'fremmed_nokkel') {
    signertMed = fremmedNokkel;
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: signertMed.kid })
    .sign(await importJWK(signertMed, 'RS256'));
}

provider.use(async (ctx, next) => {
  await next();
  if (feilmodus && ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token) };
    feilmodus = null; // one token only
  }
});

async function lesKropp(req) {
  const deler = [];
  for await (const del of req) deler.push(del);
  return Buffer.concat(deler).toString('utf8');
}

function innloggingsskjema(uid, melding = '', brukernavn = '') {
  return `${melding ? `<p role="alert">${html(melding)}</p>` : ''}
    <form method="post" action="/interaction/${html(uid)}/login">
      <p><label for="brukernavn">Brukernavn</label> <input id="brukernavn" name="brukernavn" value="${html(brukernavn)}" autocomplete="username" required></p>
      <p><label for="passord">Passord</label> <input id="passord" name="passord" type="password" autocomplete="current-password" required></p>
      <button type="submit">Logg inn hos kommunen</button>
    </form>`;
}

async function interaksjon(req, res, sendt) {
  const detaljer = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = detaljer;
  if (prompt.name === 'login') {
    const tittel = 'Kommunens innlogging (test)';
    if (!sendt) return side(res, tittel, innloggingsskjema(uid));
    const skjema = new URLSearchParams(await lesKropp(req));
    const konto = kontoer.get(skjema.get('brukernavn'));
    if (!konto || konto.passord !== skjema.get('passord')) {
      return side(res, tittel, innloggingsskjema(uid, 'Feil brukernavn eller passord.', skjema.get('brukernavn')), 401);
    }
    return provider.interactionFinished(req, res, { login: { accountId: konto.sub } },
      { mergeWithLastSubmission: false });
  }
  if (prompt.name === 'consent') {
    // Overgang is the municipality's own app: its staff are not asked to consent.
    const grant = detaljer.grantId ? await provider.Grant.find(detaljer.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return side(res, 'Ukjent steg', `<p>${html(prompt.name)}</p>`, 400);
}

async function styring(req, res, sti) {
  if (req.headers.authorization !== `Bearer ${konfig.admin_token}`) {
    res.statusCode = 401;
    return res.end();
  }
  const data = JSON.parse((await lesKropp(req)) || '{}');
  if (req.method === 'POST' && sti === '/__test/konto' && kontoer.has(data.login)) {
    kontoer.get(data.login).groups = data.groups;
  } else if (req.method === 'POST' && sti === '/__test/feil' && [null, 'utlopt', 'fremmed_nokkel'].includes(data.modus)) {
    feilmodus = data.modus;
  } else {
    res.statusCode = 400;
    return res.end();
  }
  res.statusCode = 204;
  return res.end();
}

const oidc = provider.callback();
const server = createServer(async (req, res) => {
  try {
    const sti = new URL(req.url, issuer).pathname;
    const treff = sti.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (sti.startsWith('/__test/')) return await styring(req, res, sti);
    if (treff) return await interaksjon(req, res, req.method === 'POST' && Boolean(treff[2]));
    return oidc(req, res);
  } catch (feil) {
    console.error(feil);
    if (!res.headersSent) side(res, 'Feil hos kommunens innlogging', `<pre>${html(feil.message)}</pre>`, 400);
    else res.end();
    return undefined;
  }
});

server.listen(port, '127.0.0.1', () => console.log(`klar ${issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
