// Parcours — « Répondre à une orientation », for a partner without an account.
// The link's code rides in the URL fragment (#…), which a browser never sends to a server. This file,
// the page's only script (the content-security policy allows no inline one), copies the code into the
// page's form and posts it: the code travels in the request body, never in a URL the server logs.
(() => {
  const form = document.getElementById('lien-formulaire');
  const field = document.getElementById('lien-code');
  if (!form || !field || window.location.hash.length < 2) return;
  let code;
  try {
    code = decodeURIComponent(window.location.hash.slice(1));
  } catch {
    return;
  }
  // Out of the address bar: the code is not left in a copied address nor in the history's entry.
  window.history.replaceState(null, '', window.location.pathname);
  field.value = code;
  const status = document.getElementById('lien-statut');
  if (status) status.textContent = 'Ouverture de l’orientation…';
  form.submit();
})();
