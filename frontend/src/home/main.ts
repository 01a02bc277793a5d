/** Entry of the home page and the "coming next" pages: only the site's styles; their content is plain HTML rendered by Django. */
import "../shared/style.css";
