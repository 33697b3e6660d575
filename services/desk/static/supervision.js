// Supervision pages. Without JavaScript every export link downloads its CSV directly; with it, an export that
// takes more than a second says so while it is prepared, and says when it is ready or failed.
document.addEventListener('click', async (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-csv-export]') : null;
  if (!link) return;
  event.preventDefault();
  const status = document.getElementById(link.dataset.csvExport);
  const slow = setTimeout(() => {
    link.setAttribute('aria-busy', 'true');
    if (status) status.textContent = 'Préparation de l’export en cours…';
  }, 1000);
  try {
    const response = await fetch(link.href, { credentials: 'same-origin', headers: { Accept: 'text/csv' } });
    if (!response.ok) throw new Error(String(response.status));
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export.csv';
    const url = URL.createObjectURL(await response.blob());
    const download = document.createElement('a');
    download.href = url;
    download.download = filename;
    document.body.append(download);
    download.click();
    download.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    if (status) status.textContent = `Export prêt : ${filename}`;
  } catch {
    if (status) status.textContent = 'L’export a échoué. Réessayez, ou changez les filtres.';
  } finally {
    clearTimeout(slow);
    link.removeAttribute('aria-busy');
    // A signal of the page itself, for whoever waits on it (the browser tests).
    document.body.dataset.csvExports = String(Number(document.body.dataset.csvExports ?? '0') + 1);
  }
});
