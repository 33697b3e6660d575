// The progress of a directory import. Without JavaScript the page says where the import stood when it was
// loaded, with a link to load it again; with it, the progress bar follows the import and the page reloads
// itself once the report is ready.
const state = document.getElementById('import-etat');
if (state?.dataset.importUrl) {
  const text = document.getElementById('import-etat-texte');
  const bar = document.getElementById('import-avancement');
  const follow = async () => {
    try {
      const response = await fetch(state.dataset.importUrl, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(String(response.status));
      const current = await response.json();
      if (current.status === 'done' || current.status === 'failed') {
        window.location.reload();
        return;
      }
      if (current.total && bar && text) {
        bar.max = current.total;
        bar.value = current.processed;
        text.textContent = `Import en cours : ${current.processed} lignes traitées sur ${current.total}.`;
      }
      state.dataset.importStatus = current.status;
    } catch {
      if (text) text.textContent = 'L’avancement ne peut pas être lu pour le moment ; nouvel essai dans quelques secondes.';
    }
    setTimeout(follow, 1000);
  };
  setTimeout(follow, 1000);
}
