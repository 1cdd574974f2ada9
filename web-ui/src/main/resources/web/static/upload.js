// Progressive enhancement of the dataset form: without this module the form is a plain multipart POST
// to /datasets. With it, the page subscribes to the dataset's progress WebSocket first, then uploads to
// PUT /api/datasets/{id} with an id made here, showing bytes sent and the job's live counters.

const form = document.getElementById('dataset-form');
if (form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form).catch((error) => showError('Something went wrong', String(error && error.message || error)));
  });
}

const number = new Intl.NumberFormat('en-US');

async function submit(form) {
  clearError();
  const name = form.elements.name.value.trim();
  const file = form.elements.file.files[0];
  const text = form.elements.text.value;
  const maxBytes = Number(form.dataset.maxBytes);

  // Like the no-script form (the server joins the parts in order): pasted lines first, then the file.
  const pasted = text.trim() === '' ? null : (text.endsWith('\n') ? text : text + '\n');
  const gzipped = Boolean(file && /\.gz$/i.test(file.name));
  let body;
  let encoding = null;
  if (file && file.size > 0 && pasted && gzipped) {
    showError('Paste lines or choose a .gz file', 'A compressed file cannot be joined with pasted lines ' +
      'in the browser. Clear the pasted lines, or choose an uncompressed file.');
    return;
  } else if (file && file.size > 0) {
    body = pasted ? new Blob([pasted, file]) : file;
    if (gzipped) encoding = 'gzip';
  } else if (pasted) {
    body = new Blob([pasted], { type: 'application/x-ndjson' });
  } else {
    showError('Nothing to tally', file
      ? `The file ${file.name} is empty. Choose a file with JSON lines, or paste some lines.`
      : 'Choose a file or paste some JSON lines, one object per line, then submit again.');
    return;
  }
  if (maxBytes > 0 && body.size > maxBytes) {
    showError('That file is too large',
      `It has ${formatBytes(body.size)}; this server takes up to ${form.dataset.maxSize} per dataset. ` +
      'Split the file, or compress it with gzip and upload the .gz.');
    return;
  }

  const id = newId();
  const view = showProgress(name || (file ? file.name : 'pasted lines'), body.size);
  setBusy(form, true);
  // The progress takes the form's place, where the person is looking (the form is taller than a screen).
  form.hidden = true;
  view.section.scrollIntoView({ block: 'nearest' });
  const socket = await subscribe(id, view);
  try {
    const response = await upload(id, name || (file ? file.name : ''), body, encoding, view);
    if (response.status === 401) {
      // The session ended while the form was open (it lasts 12 hours; a restart ends it too).
      window.location.assign('/signin?why=expired&next=/');
      return;
    }
    if (response.status === 201) {
      const dataset = JSON.parse(response.responseText);
      const problem = unusable(dataset.counters, file ? file.name : 'The pasted text');
      if (problem) {
        await discard(id);
        fail(view, problem.title, problem.detail);
        return;
      }
      view.state.textContent = 'Done. Opening the results…';
      window.location.assign(`/datasets/${encodeURIComponent(id)}`);
    } else {
      const problem = readProblem(response);
      fail(view, problem.title, problem.detail);
    }
  } catch (error) {
    fail(view, 'The upload did not finish', 'The connection to the server was lost. Check that it is running and try again.');
  } finally {
    if (socket) socket.close();
  }

  function fail(view, title, detail) {
    view.section.hidden = true;
    form.hidden = false;
    setBusy(form, false);
    showError(title, detail);
  }
}

// The same rule as the no-script form's (tally.web.SubmissionCheck): a dataset in which no line was
// JSON at all is most likely the wrong file, so it is not kept; bad lines in a good file are counted.
function unusable(counters, what) {
  if (!counters || counters.lines === 0) {
    return { title: 'Nothing to tally', detail: `${what} has no lines. Choose a file with JSON lines, one object per line.` };
  }
  const invalid = (counters.skipped_by_reason || {}).invalid_json || 0;
  if (invalid === counters.lines) {
    return {
      title: 'That does not look like JSON lines',
      detail: `None of its ${number.format(counters.lines)} lines is a JSON value. ` +
        'Tally reads one JSON object per line (JSON lines), optionally gzip-compressed as .gz.',
    };
  }
  return null;
}

function newId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'w' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Resolves once the socket is open (or failed: the upload goes on without live counters).
function subscribe(id, view) {
  return new Promise((resolve) => {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${window.location.host}/ws/datasets/${encodeURIComponent(id)}`);
    } catch (error) {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => resolve(socket), 3000);
    socket.addEventListener('open', () => { clearTimeout(timer); resolve(socket); });
    socket.addEventListener('error', () => { clearTimeout(timer); resolve(null); });
    socket.addEventListener('message', (event) => {
      let progress;
      try { progress = JSON.parse(event.data); } catch (error) { return; }
      if (typeof progress.lines === 'number') view.lines.textContent = number.format(progress.lines);
      if (typeof progress.kept === 'number') view.kept.textContent = number.format(progress.kept);
      if (typeof progress.skipped === 'number') view.skipped.textContent = number.format(progress.skipped);
      if (progress.state) view.state.textContent = describeState(progress.state);
    });
  });
}

function describeState(state) {
  switch (state) {
    case 'waiting': return 'Waiting for the data…';
    case 'receiving': case 'running': return 'Reading lines as they arrive…';
    case 'sorting': case 'finishing': return 'Sorting the rows and saving the results…';
    case 'complete': return 'Done.';
    case 'failed': return 'The server could not finish this dataset.';
    default: return String(state);
  }
}

function upload(id, name, body, encoding, view) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = name ? `?name=${encodeURIComponent(name)}` : '';
    xhr.open('PUT', `/api/datasets/${encodeURIComponent(id)}${query}`);
    xhr.setRequestHeader('Content-Type', 'application/x-ndjson');
    if (encoding) xhr.setRequestHeader('Content-Encoding', encoding);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      const total = event.lengthComputable ? event.total : body.size;
      view.bar.max = Math.max(total, 1);
      view.bar.value = event.loaded;
      view.bytes.textContent = `${formatBytes(event.loaded)} of ${formatBytes(total)} sent`;
    });
    xhr.upload.addEventListener('load', () => {
      view.bar.value = view.bar.max;
      view.bytes.textContent = `${formatBytes(body.size)} sent`;
      view.state.textContent = 'Sent. Finishing the statistics…';
    });
    xhr.addEventListener('load', () => resolve(xhr));
    xhr.addEventListener('error', () => reject(new Error('network error')));
    xhr.addEventListener('abort', () => reject(new Error('aborted')));
    xhr.send(body);
  });
}

function discard(id) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('DELETE', `/api/datasets/${encodeURIComponent(id)}`);
    xhr.addEventListener('loadend', () => resolve());
    xhr.send();
  });
}

function readProblem(xhr) {
  try {
    const problem = JSON.parse(xhr.responseText);
    if (problem && (problem.title || problem.detail)) {
      return { title: problem.title || `The server answered ${xhr.status}`, detail: problem.detail || '' };
    }
  } catch (error) {
    // not a problem document: fall through
  }
  return { title: `The server answered ${xhr.status}`, detail: 'Try again in a moment.' };
}

function showProgress(label, size) {
  const section = document.getElementById('progress');
  const view = {
    section,
    bar: document.getElementById('upload-bar'),
    bytes: document.getElementById('upload-bytes'),
    lines: document.getElementById('live-lines'),
    kept: document.getElementById('live-kept'),
    skipped: document.getElementById('live-skipped'),
    state: document.getElementById('progress-state'),
  };
  document.getElementById('progress-name').textContent = label;
  view.bar.max = Math.max(size, 1);
  view.bar.value = 0;
  view.bytes.textContent = `0 B of ${formatBytes(size)} sent`;
  view.lines.textContent = view.kept.textContent = view.skipped.textContent = '0';
  view.state.textContent = 'Connecting…';
  section.hidden = false;
  return view;
}

function setBusy(form, busy) {
  form.elements.submit.disabled = busy;
  form.setAttribute('aria-busy', String(busy));
}

function showError(title, detail) {
  let box = document.getElementById('form-error');
  if (!box) {
    box = document.createElement('div');
    box.id = 'form-error';
    box.className = 'notice error';
    box.setAttribute('role', 'alert');
    box.tabIndex = -1;
    box.append(document.createElement('h2'), document.createElement('p'));
    form.before(box);
  }
  box.hidden = false;
  box.querySelector('h2').textContent = title;
  box.querySelector('p').textContent = detail;
  box.focus();
}

function clearError() {
  const box = document.getElementById('form-error');
  if (box) box.hidden = true;
}

function formatBytes(bytes) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
