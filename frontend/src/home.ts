/** Entry of the home page: only its styles; the cards are plain links rendered by Django. */
import "./style.css";
