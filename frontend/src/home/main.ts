/** Entry of the home page: only the site's styles; their content is plain HTML rendered by Django. */
import "../shared/style.css";
