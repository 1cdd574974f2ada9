package tally.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import java.util.List;
import tally.http.RouteTable;
import tally.ingest.Ingest;
import tally.store.DatasetStore;
import tally.auth.Authentication;
import tally.http.BuildVersion;

/**
 * The HTML pages' route table, added to the server's by {@link tally.http.TallyServer}:
 *
 * <pre>
 * GET  /                      the dataset form (with upload.js: live progress over the API)
 * POST /datasets              the form without script: multipart, 303 to the result page
 * GET  /datasets              past datasets, newest first, with delete buttons
 * GET  /datasets/{id}         the result page
 * POST /datasets/{id}/delete  a delete button (303 back to the list)
 * GET  /static/{file}         CSS, script and icon, fingerprinted
 * GET  /signin                the sign-in page (a token is pasted), POST /signin signs in
 * POST /signout               ends the session
 * </pre>
 *
 * On a server with tokens, the form and the delete confirmation send a person who is not signed in to
 * the sign-in page ({@link SignInFirst}); {@link tally.auth.AccessGuard} guards the writes themselves.
 *
 * Every page response carries the security headers (CSP without inline script, nosniff, no framing).
 */
public final class PageRoutes {

    private static final List<String> STATIC_FILES = List.of("tally.css", "upload.js", "favicon.svg");

    private final StaticFiles statics;
    private final FormPage form;
    private final DatasetListPage list;
    private final ResultPage result;
    private final FormUpload upload;
    private final DeleteAction delete;
    private final DeletePage confirmDelete;
    private final Layout layout;
    private final SignInPage signIn;
    private final SignInAction signInAction;
    private final SignOutAction signOut;
    private final boolean signInUsed;

    /** {@code authentication}: null on a server without tokens, where anyone may do anything. */
    public PageRoutes(DatasetStore store, Ingest ingest, long maxUploadBytes, ObjectMapper json, BuildVersion version,
            Authentication authentication) {
        ClassLoader loader = PageRoutes.class.getClassLoader();
        Templates templates = new Templates(loader);
        CsrfToken csrf = new CsrfToken();
        this.signInUsed = authentication != null;
        this.statics = new StaticFiles(loader, STATIC_FILES);
        this.layout = new Layout(templates, statics, version.version(), csrf, signInUsed);
        this.signIn = new SignInPage(layout, csrf, signInUsed);
        this.signInAction = new SignInAction(authentication, signIn, csrf);
        this.signOut = new SignOutAction(authentication, layout, csrf);
        this.form = new FormPage(layout, csrf, maxUploadBytes);
        this.list = new DatasetListPage(store, layout);
        this.result = new ResultPage(store, json, layout, new BarChart(templates));
        this.upload = new FormUpload(ingest, store, form, csrf, maxUploadBytes);
        this.delete = new DeleteAction(store, layout, csrf);
        this.confirmDelete = new DeletePage(store, layout, csrf);
    }

    public void addTo(RouteTable routes) {
        routes.get("/", page(signInFirst(form)));
        routes.get("/datasets", page(list));
        routes.post("/datasets", new SecurityHeaders(upload));
        routes.get("/datasets/{id}", page(result));
        routes.get("/datasets/{id}/delete", page(signInFirst(confirmDelete)));
        routes.post("/datasets/{id}/delete", new SecurityHeaders(delete));
        routes.get("/static/{file}", statics);
        routes.get("/signin", page(signIn));
        routes.post("/signin", new SecurityHeaders(signInAction));
        routes.post("/signout", new SecurityHeaders(signOut));
    }

    private HttpHandler signInFirst(HttpHandler handler) {
        return signInUsed ? new SignInFirst(handler) : handler;
    }

    private HttpHandler page(HttpHandler handler) {
        return new SecurityHeaders(new PageGuard(layout, handler));
    }
}
